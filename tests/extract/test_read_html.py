"""Web pages: the article is kept, the site's menus, related news, comments and footer are dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura

from dondoc.extract.read import read_bytes, read_document

TITLE = "Tỉnh giao nhiệm vụ khắc phục sạt lở bờ sông"
ARTICLE = [
    "Chiều ngày 12 tháng 9, Ủy ban nhân dân tỉnh đã có văn bản chỉ đạo các sở, ngành và địa phương "
    "khẩn trương khắc phục tình trạng sạt lở bờ sông tại các xã ven sông.",
    "Giao Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với Ủy ban nhân dân các huyện "
    "rà soát các điểm sạt lở, báo cáo Ủy ban nhân dân tỉnh trước ngày 30 tháng 9.",
    "Sở Tài chính tham mưu bố trí kinh phí khắc phục khẩn cấp theo quy định của pháp luật về ngân "
    "sách nhà nước, bảo đảm kịp thời và đúng đối tượng.",
]
TABLE_ROWS = ["| Đơn vị | Nhiệm vụ |", "| Sở Xây dựng | Kiểm tra công trình kè |"]
JUNK = ["Trang chủ", "Giới thiệu", "Tin liên quan", "Lễ hội đua thuyền truyền thống", "Gửi bình luận",
        "Bản quyền thuộc về Cổng thông tin", "Đường dây nóng"]

PAGE = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{TITLE} - Cổng thông tin điện tử</title></head>
<body>
<header><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/gt">Giới thiệu</a></li>
<li><a href="/tt">Tin tức</a></li></ul></nav></header>
<main><article>
<h1>{TITLE}</h1>
<p>{ARTICLE[0]}</p>
<p>{ARTICLE[1]}</p>
<table><tr><th>Đơn vị</th><th>Nhiệm vụ</th></tr><tr><td>Sở Xây dựng</td><td>Kiểm tra công trình kè</td></tr>
</table>
<p>{ARTICLE[2]}</p>
</article>
<section class="related"><h3>Tin liên quan</h3><ul>
<li><a href="/a">Lễ hội đua thuyền truyền thống</a></li><li><a href="/b">Khai mạc hội chợ nông sản</a></li>
</ul></section>
<div class="comments"><h3>Ý kiến bạn đọc</h3>
<form><textarea></textarea><button>Gửi bình luận</button></form></div>
</main>
<footer><p>Bản quyền thuộc về Cổng thông tin điện tử tỉnh.</p><p>Đường dây nóng: 0123 456 789</p></footer>
</body></html>"""


def _lines(text: str) -> list[str]:
    return text.split("\n")


def test_the_article_is_kept_with_title_first_and_tables_as_pipe_rows(tmp_path: Path) -> None:
    path = tmp_path / "tin-bai.html"
    path.write_text(PAGE, encoding="utf-8")
    lines = _lines(read_document(path))
    assert lines[0] == TITLE
    assert lines.count(TITLE) == 1
    for paragraph in ARTICLE:
        assert paragraph in lines
    order = [lines.index(line) for line in (ARTICLE[1], TABLE_ROWS[0], TABLE_ROWS[1], ARTICLE[2])]
    assert order == sorted(order)


def test_menus_related_news_comments_and_footer_are_dropped() -> None:
    text = read_bytes(PAGE.encode(), suffix=".htm")
    for junk in JUNK:
        assert junk not in text


def test_a_plain_fallback_reads_a_page_trafilatura_finds_nothing_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    lines = _lines(read_bytes(PAGE.encode(), suffix=".html"))
    assert lines[0] == f"{TITLE} - Cổng thông tin điện tử"
    assert ARTICLE[0] in lines and ARTICLE[2] in lines
    assert TABLE_ROWS[1] in lines
    for junk in ["Trang chủ", "Gửi bình luận", "Đường dây nóng: 0123 456 789"]:
        assert junk not in lines


@pytest.mark.parametrize(
    ("charset", "body"),
    [
        # Windows-1258, declared by the page: ộ is ô + combining dot below (F2)
        pytest.param("windows-1258", b"B\xf4\xf2 T\xfd ph\xe1p", id="declared-cp1258"),
        # an undeclared 8-bit page is taken as Windows-1258, the Vietnamese Windows code page
        pytest.param(None, b"B\xf4\xf2 T\xfd ph\xe1p", id="undeclared-cp1258"),
    ],
)
def test_an_8bit_page_is_decoded_by_its_charset(charset: str | None, body: bytes) -> None:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    page = f"<html><head>{meta}<title>T</title></head><body><p>".encode() + body + b"</p></body></html>"
    assert "Bộ Tư pháp" in read_bytes(page, suffix=".html")


def test_a_page_typed_in_a_vni_font_is_converted() -> None:
    # <font face="VNI-Times"> pages: the text is Latin-1 letters that only the font drew as Vietnamese.
    vni = "Giao Sôû Y teá chuû trì, baùo caùo tröôùc ngaøy 10"
    page = f'<html><body><p><font face="VNI-Times">{vni}</font></p></body></html>'
    assert "Giao Sở Y tế chủ trì, báo cáo trước ngày 10" in read_bytes(page.encode(), suffix=".html")


def test_a_doc_that_is_really_a_web_page_is_read_as_html() -> None:
    # Many portals serve "van-ban.doc" files that are HTML saved by Word.
    assert _lines(read_bytes(PAGE.encode(), suffix=".doc"))[0] == TITLE


def test_a_word_web_archive_named_doc_is_read_as_its_page() -> None:
    # Word's "single file web page": MIME, the page in quoted-printable, often served as .doc.
    archive = (
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="----=_NextPart_01"\r\n\r\n'
        "------=_NextPart_01\r\n"
        'Content-Type: text/html; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        "<html><head><title>Th=C3=B4ng b=C3=A1o</title></head><body>"
        "<p>Giao S=E1=BB=9F X=C3=A2y d=E1=BB=B1ng ch=E1=BB=A7 tr=C3=AC</p></body></html>\r\n"
        "------=_NextPart_01--\r\n"
    )
    assert read_bytes(archive.encode("ascii"), suffix=".doc").split("\n") == ["Thông báo", "Giao Sở Xây dựng chủ trì"]
