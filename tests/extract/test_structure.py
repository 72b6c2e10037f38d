"""Structure: wrapped lines back into blocks, numbering nested, task tables read by column."""

from dondoc.extract.normalize import analysis_text
from dondoc.extract.structure import split_blocks


def blocks_of(text):
    atext = analysis_text(text)
    return atext, split_blocks(atext)


def test_hard_wrapped_lines_join_into_one_paragraph():
    text = "Sở Y tế chủ trì, phối hợp với Sở Tài\nchính rà soát danh mục thuốc\nthiết yếu.\n"
    atext, blocks = blocks_of(text)
    assert len(blocks) == 1
    assert atext[blocks[0].start : blocks[0].end].endswith("thiết yếu.")


def test_numbered_items_nest_under_their_heading():
    text = (
        "1. Sở Nội vụ chủ trì:\n"
        "a) Rà soát biên chế.\n"
        "b) Báo cáo kết quả.\n"
        "2. Sở Tài chính bố trí kinh phí.\n"
    )
    _, blocks = blocks_of(text)
    kinds = [b.marker_type for b in blocks]
    assert kinds == ["arabic", "letter", "letter", "arabic"]
    assert blocks[1].parent == 0 and blocks[2].parent == 0
    assert blocks[3].parent is None


def test_a_dash_followed_by_lowercase_is_a_wrapped_line_not_a_bullet():
    text = "Các tổ chức chính trị\n- xã hội tham gia giám sát.\n"
    _, blocks = blocks_of(text)
    assert len(blocks) == 1


def test_bullets_after_an_introduction_belong_to_it():
    text = "Ủy ban nhân dân các xã, phường:\n- Bố trí cán bộ một cửa;\n- Công khai kết quả.\n"
    _, blocks = blocks_of(text)
    assert [b.parent for b in blocks] == [None, 0, 0]


def test_markdown_task_table_rows_are_read_by_column_role():
    text = (
        "| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |\n"
        "| 1 | Rà soát thủ tục | Sở Tư pháp | Các sở, ngành | Quý III/2026 |\n"
        "| 2 | Khảo sát sự hài lòng | Sở Nội vụ |  | Năm 2026 |\n"
    )
    atext, blocks = blocks_of(text)
    rows = [{role: atext[s:e] for role, (s, e) in b.table_row.items()} for b in blocks]
    assert rows[0] == {"number": "1", "content": "Rà soát thủ tục", "lead": "Sở Tư pháp",
                       "support": "Các sở, ngành", "deadline": "Quý III/2026"}
    assert rows[1]["lead"] == "Sở Nội vụ" and "support" not in rows[1]


def test_roman_numerals_lower_cased_after_the_first_letter_still_number_sections():
    text = "I. Tình hình chung:\nSố hộ nghèo giảm 2%.\nIi. Mục đích yêu cầu:\nBảo đảm đúng đối tượng.\n"
    atext, blocks = blocks_of(text)
    sections = [atext[b.body_start : b.end] for b in blocks if b.marker_type == "roman"]
    assert sections == ["Tình hình chung:", "Mục đích yêu cầu:"]
    assert all(b.parent is None for b in blocks if b.marker_type == "roman")


def test_the_delimiter_row_under_a_markdown_header_is_no_task_row():
    text = (
        "| STT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành |\n"
        "|---|:---|---:|:---:|\n"
        "| 1 | Rà soát thủ tục | Sở Tư pháp | Quý III/2026 |\n"
    )
    atext, blocks = blocks_of(text)
    assert [atext[b.table_row["content"][0] : b.table_row["content"][1]] for b in blocks] == ["Rà soát thủ tục"]


def test_crawled_table_with_cells_between_bar_lines():
    cells = ["TT", "Nội dung công việc", "Đơn vị chủ trì", "Thời hạn", "",
             "1", "Lập danh mục dự án", "Sở Xây dựng", "Tháng 6/2026", "",
             "2", "Kiểm tra\ntiến độ", "Sở Tài chính", "", ""]
    text = "|\n" + "\n|\n".join(cells) + "\n|\n"
    atext, blocks = blocks_of(text)
    rows = [{role: atext[s:e] for role, (s, e) in b.table_row.items()} for b in blocks if b.table_row]
    assert [r["content"] for r in rows] == ["Lập danh mục dự án", "Kiểm tra\ntiến độ"]
    assert [r["lead"] for r in rows] == ["Sở Xây dựng", "Sở Tài chính"]
    assert rows[0]["deadline"] == "Tháng 6/2026" and "deadline" not in rows[1]


def test_table_header_needs_a_lead_column():
    text = "| STT | Chỉ tiêu | Năm 2025 |\n| 1 | Tỷ lệ hồ sơ trực tuyến | 80% |\n"
    _, blocks = blocks_of(text)
    assert all(b.table_row is None for b in blocks)


def test_lines_that_never_go_on_in_lower_case_are_not_hard_wrapped():
    text = (
        "1. Xây dựng Kho dữ liệu dùng chung của tỉnh\n- Cơ quan chủ trì: Sở Khoa học và Công nghệ\n"
        "- Thời gian hoàn thành: Quý III/2026\n2. Số hóa hồ sơ thủ tục hành chính\n"
        "- Cơ quan chủ trì: Văn phòng Ủy ban nhân dân tỉnh\n- Thời gian hoàn thành: Tháng 12/2026\n"
    )
    _, blocks = blocks_of(text)
    assert [b.marker_type for b in blocks] == ["arabic", "dash", "dash", "arabic", "dash", "dash"]


def test_a_dash_after_a_long_wrapped_line_joins_a_name_pair():
    wrapped = "tỉnh tập trung chỉ đạo giải phóng mặt bằng các dự án trọng điểm, bảo đảm tiến độ,\n" * 5
    text = wrapped + (
        "báo cáo tiến độ thi công Dự án tuyến đường bộ cao tốc đoạn Ninh Bình\n"
        "- Hải Phòng qua địa bàn tỉnh.\n"
    )
    _, blocks = blocks_of(text)
    assert len(blocks) == 1


def test_a_signature_table_after_a_task_table_gives_no_rows():
    text = (
        "| STT | Nội dung | Cơ quan chủ trì |\n"
        "| 1 | Rà soát thủ tục | Sở Tư pháp |\n"
        "| Nơi nhận: - Như trên; - Lưu: VT. | KT. CHỦ TỊCH |\n"
    )
    _, blocks = blocks_of(text)
    assert sum(b.table_row is not None for b in blocks) == 1


def test_a_short_line_between_blank_lines_is_a_sub_heading_that_closes_an_introduction():
    text = (
        "Bộ trưởng nêu những việc cần làm trong năm 2026, gồm:\n\n"
        "Sở Y tế rà soát danh mục thuốc.\n\n"
        "Nhiệm vụ cụ thể của từng đơn vị\n\n"
        "Cục Quản lý dược kiểm tra giá thuốc.\n"
    )
    _, blocks = blocks_of(text)
    assert [b.heading for b in blocks] == [False, False, True, False]
    assert blocks[1].parent == 0
    assert blocks[3].parent == 2


def test_without_hard_wrapping_every_line_is_a_paragraph():
    long = "Sở Tài chính bố trí kinh phí cho các nhiệm vụ chuyển đổi số của các sở, ngành trong năm 2026 " * 2
    text = "6. Về nguồn lực\n" + "\n".join([long.strip()] * 5) + "\n"
    _, blocks = blocks_of(text)
    assert len(blocks) == 6
    assert all(b.parent == 0 for b in blocks[1:])


def test_a_short_numbered_line_in_wrapped_text_is_a_heading_of_its_own():
    wrapped = "Sở Y tế chủ trì, phối hợp với các sở, ngành liên quan tổ chức kiểm tra\n" * 6
    text = wrapped + "3. Về nhân lực y tế\nSở Nội vụ rà soát biên chế của các trạm y tế xã, phường trong\ntỉnh.\n"
    atext, blocks = blocks_of(text)
    heading = next(b for b in blocks if b.marker_type == "arabic")
    assert atext[heading.body_start : heading.end] == "Về nhân lực y tế"


def test_a_short_first_line_of_a_bullet_is_cut_mid_phrase_even_before_a_capital():
    wrapped = (
        "Sở Y tế chủ trì, phối hợp với các sở, ngành liên quan tổ chức kiểm tra\n"
        + "các cơ sở khám bệnh, chữa bệnh trên địa bàn, bảo đảm an toàn người bệnh,\n" * 4
        + "các trạm y tế xã.\n"
    )
    bullet = "- Phối hợp Ban Chỉ huy\nPhòng thủ dân sự tỉnh tổ chức diễn tập ứng phó bão lũ tại các\nxã ven biển.\n"
    text = wrapped + bullet
    atext, blocks = blocks_of(text)
    bullet = next(b for b in blocks if b.marker_type == "dash")
    assert atext[bullet.body_start : bullet.end].endswith("xã ven biển.")


def test_a_second_crawled_table_is_read_with_its_own_header():
    first = ["STT", "Nhiệm vụ", "Văn bản giao", "Cơ quan chủ trì", "Thời hạn", "",
             "1.", "Ban hành quy chế", "Công văn 12", "Sở Nội vụ", "30/6/2026"]
    second = ["Các nhiệm vụ quá hạn", "STT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả", "",
              "1", "Số hóa hồ sơ", "Sở Tư pháp", "31/3/2026", "Đang thực hiện", ""]
    text = "|\n" + "\n|\n".join(first + second) + "\n|\n"
    atext, blocks = blocks_of(text)
    rows = [{role: atext[s:e] for role, (s, e) in b.table_row.items()} for b in blocks if b.table_row]
    assert [(r["content"], r["lead"], r["deadline"]) for r in rows] == [
        ("Ban hành quy chế", "Sở Nội vụ", "30/6/2026"), ("Số hóa hồ sơ", "Sở Tư pháp", "31/3/2026")]


def test_decimal_items_sit_under_their_numbered_section():
    text = "1. Về dữ liệu\n1.1. Giao Sở Tư pháp\n1.2. Giao Công an tỉnh\n2. Về kinh phí\n"
    _, blocks = blocks_of(text)
    assert [b.parent for b in blocks] == [None, 0, 0, None]


def test_a_bullet_after_a_bold_heading_is_a_bullet():
    wrapped = "Ủy ban nhân dân tỉnh tập trung chỉ đạo giải phóng mặt bằng các dự án trọng điểm,\n" * 5
    text = wrapped + "**2. Về công tác triển khai phần mềm đánh số nhà**\n- Giao Sở Xây dựng khảo sát hiện trạng.\n"
    atext = analysis_text(text)
    blocks = split_blocks(atext, text)
    assert blocks[-1].marker_type == "dash"


def test_a_bold_heading_wrapped_over_two_lines_is_one_block():
    text = "**2. Về công tác triển\nkhai phần mềm đánh số nhà**\n- Giao Sở Xây dựng khảo sát hiện trạng.\n"
    atext = analysis_text(text)
    blocks = split_blocks(atext, text)
    assert [b.marker_type for b in blocks] == ["arabic", "dash"]
    assert blocks[0].heading and blocks[1].parent == 0


def test_plus_items_after_a_plain_paragraph_spell_it_out():
    text = (
        "2. Về đầu tư công\n"
        "- Năm 2026 nguồn vốn đầu tư công tăng mạnh.\n"
        "Vì vậy, các chủ đầu tư cần đẩy nhanh tiến độ giải ngân.\n"
        "+ Đối với vốn ngân sách tỉnh: giải ngân trước tháng 9.\n"
        "+ Đối với vốn vay ưu đãi: hoàn thiện thủ tục rút vốn.\n"
        "- Sở Tài chính theo dõi kết quả giải ngân.\n"
    )
    _, blocks = blocks_of(text)
    kinds = [b.marker_type for b in blocks]
    assert kinds == ["arabic", "dash", None, "plus", "plus", "dash"]
    assert blocks[3].parent == 2 and blocks[4].parent == 2
    assert blocks[5].parent == 0  # the next "-" bullet is back under the section


def test_a_wrapped_line_holding_only_an_abbreviation_is_no_capitals_heading():
    # "UBND" alone in capitals is an abbreviation cut off by the wrap, not a heading line of its own
    text = (
        "Các đơn vị triển khai ngay những việc sau đây để bảo đảm vệ sinh môi trường\n"
        "3. UBND\n"
        "các xã, phường:\n"
        "- Ra quân thu gom rác thải sau mưa lũ.\n"
    )
    atext, blocks = blocks_of(text)
    heading = next(b for b in blocks if b.marker_type == "arabic")
    assert " ".join(atext[heading.body_start : heading.end].split()) == "UBND các xã, phường:"
    assert blocks[-1].parent == blocks.index(heading)


def test_a_line_opening_with_a_table_bar_after_a_full_stop_starts_a_block():
    text = (
        "3. Sở Tài chính bố trí kinh phí thực hiện kế hoạch này\n"
        "theo quy định./.\n"
        "| Nơi nhận:\n"
        "- Bộ Tài chính;\n"
    )
    atext, blocks = blocks_of(text)
    assert atext[blocks[0].start : blocks[0].end].endswith("theo quy định./.")
    assert atext[blocks[1].start : blocks[1].end].startswith("| Nơi nhận:")


def test_a_full_width_line_ending_at_a_semicolon_was_wrapped_mid_list():
    text = (
        "1. Đối với các nhiệm vụ điều chỉnh quy hoạch vùng, yêu cầu các Bộ: Xây dựng;\n"
        "Công Thương hoàn thành rà soát các quy hoạch ngành có liên quan và gửi báo\n"
        "cáo Thủ tướng Chính phủ trước ngày 15/12/2025 để thống nhất phương án điều\n"
        "chỉnh quy hoạch vùng.\n"
        "2. Các địa phương tổ chức tuyên truyền về quy hoạch vùng;\n"
        "Tổ chức lấy ý kiến người dân về các khu tái định cư trong quy hoạch, bảo đảm\n"
        "công khai, minh bạch và đúng quy định của pháp luật về quy hoạch hiện hành.\n"
    )
    atext, blocks = blocks_of(text)
    assert [atext[b.start : b.start + 12] for b in blocks] == ["1. Đối với c", "2. Các địa p", "Tổ chức lấy "]


def test_a_bold_heading_wrapped_before_a_capital_is_still_one_block():
    text = "**8. Giám đốc\nSở, Thủ trưởng cơ quan, ban, ngành**\n\na) Phối hợp tuyên truyền về tài nguyên nước.\n"
    atext = analysis_text(text)
    blocks = split_blocks(atext, text)
    assert [b.marker_type for b in blocks] == ["arabic", "letter"]
    assert blocks[0].heading and blocks[1].parent == 0


def test_a_stray_bold_mark_does_not_hold_the_paragraphs_after_it_together():
    text = (
        "ngày 25 tháng 1**1** năm 2025**\n\n"
        "Bộ Công Thương rà soát năng lực phối trộn.\n\n"
        "Bộ Tài chính bố trí kinh phí.\n"
    )
    atext = analysis_text(text)
    blocks = split_blocks(atext, text)
    assert len(blocks) == 3


def test_a_row_number_after_a_full_row_starts_the_next_row_without_an_empty_cell():
    cells = ["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn", "Ghi chú", "",
             "1", "Rà soát quy chế", "Sở Tư pháp", "Quý II/2026", "…........",
             "2", "Lập danh mục", "Sở Nội vụ", "2026", "", ""]
    text = "|\n" + "\n|\n".join(cells) + "\n|\n"
    atext, blocks = blocks_of(text)
    rows = [{role: atext[s:e] for role, (s, e) in b.table_row.items()} for b in blocks if b.table_row]
    assert [(r["content"], r["lead"]) for r in rows] == [
        ("Rà soát quy chế", "Sở Tư pháp"), ("Lập danh mục", "Sở Nội vụ")]
