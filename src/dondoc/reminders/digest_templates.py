"""The e-mail digest's templates (Django template language), kept in Python so they ship with the package.

Context: name, agency, intro and closing (sentences chosen for focal points or for the assigning office), today
(dd/mm/yyyy), sections (``messages.Section``), english (a one-line English summary).
"""

TEXT = """{% autoescape off %}Kính gửi {{ name }}{% if agency %} ({{ agency }}){% endif %},

{{ intro }} ngày {{ today }}:
{% for section in sections %}
{{ section.title|upper }} ({{ section.total }})
{% for item in section.items %}- #{{ item.facts.id }} {{ item.facts.content|truncatechars:300 }}
  {{ item.line }}. Chủ trì: {{ item.facts.leads|join:"; "|default:"—" }}. Văn bản: {{ item.facts.document }}.
{% if item.facts.url %}  {{ item.facts.url }}
{% endif %}{% endfor %}{% if section.more %}- ... và {{ section.more }} nhiệm vụ khác.
{% endif %}{% endfor %}
{{ closing }}

--
Thư tự động từ dondoc, vui lòng không trả lời.
Automatic reminder from dondoc: {{ english }}.
{% endautoescape %}"""

HTML = """<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>dondoc</title></head>
<body style="font-family: Arial, sans-serif; font-size: 14px; color: #222;">
<p>Kính gửi {{ name }}{% if agency %} ({{ agency }}){% endif %},</p>
<p>{{ intro }} ngày {{ today }}:</p>
{% for section in sections %}
<h3 style="margin: 16px 0 4px;">{{ section.title }} ({{ section.total }})</h3>
<table style="border-collapse: collapse; width: 100%;" cellpadding="4">
<thead><tr style="background: #eee; text-align: left;">
<th>#</th><th>Nhiệm vụ</th><th>Chủ trì</th><th>Tình trạng</th><th>Văn bản</th>
</tr></thead>
<tbody>
{% for item in section.items %}<tr style="border-top: 1px solid #ddd;">
<td>{% if item.facts.url %}<a href="{{ item.facts.url }}">{{ item.facts.id }}</a>{% else %}{{ item.facts.id }}
{% endif %}</td>
<td>{{ item.facts.content|truncatechars:300 }}</td>
<td>{{ item.facts.leads|join:"; "|default:"—" }}</td>
<td>{{ item.line }}</td>
<td>{{ item.facts.document }}</td>
</tr>
{% endfor %}</tbody>
</table>
{% if section.more %}<p>... và {{ section.more }} nhiệm vụ khác.</p>{% endif %}
{% endfor %}
<p>{{ closing }}</p>
<p style="color: #777; font-size: 12px;">Thư tự động từ dondoc, vui lòng không trả lời.<br>
Automatic reminder from dondoc: {{ english }}.</p>
</body>
</html>
"""
