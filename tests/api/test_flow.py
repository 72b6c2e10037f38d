"""The whole life of a task as people live it through the API: upload → review → confirm → follow-up → done."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import files_in


def test_from_upload_to_completion(api, users, org, directive_text, clock, media):
    officer, focal = api("officer"), api("finance_focal")

    # the officer uploads the directive: three draft tasks
    document = officer.post("/api/documents/", {"file": SimpleUploadedFile("1234.txt", directive_text.encode())},
                            format="multipart").json()
    inspect, hospitals, report = (t["id"] for t in document["tasks"])

    # drafts are not followed up yet: the focal point does not see them
    assert focal.get(f"/api/tasks/{inspect}/").status_code == 404

    # review: the officer corrects the first task (deadline and support) and confirms the document
    corrected = officer.patch(f"/api/tasks/{inspect}/", {"due": "2026-07-15", "support": ["Bộ Y tế", "BTC"],
                                                          "deadline_text": "trước ngày 15/7/2026"}, format="json")
    assert corrected.status_code == 200, corrected.json()
    assert corrected.json()["due_date"] == "2026-07-15"
    assert [a["name"] for a in corrected.json()["support"]] == ["Bộ Y tế", "Bộ Tài chính"]
    change = corrected.json()["events"][-1]
    assert change["kind"] == "corrected" and change["data"]["changes"]["due"] == ["2026-06-30", "2026-07-15"]
    confirmed = officer.post(f"/api/documents/{document['id']}/confirm/").json()
    assert [t["state"] for t in confirmed["tasks"]] == ["not_due", "not_due", "not_due"]

    # the focal point of Bộ Tài chính (Cục Thuế is its unit) reports progress with evidence
    clock.set(date(2026, 5, 4))
    progress = focal.post(f"/api/tasks/{inspect}/progress/", {
        "text": "Đã rà soát 40/63 tỉnh", "percent": "60",
        "files": [SimpleUploadedFile("bien-ban.pdf", b"%PDF minutes"), SimpleUploadedFile("ds.txt", b"list")],
    }, format="multipart")
    assert progress.status_code == 201, progress.json()
    assert progress.json()["task"]["state"] == "in_progress" and progress.json()["task"]["progress_percent"] == 60
    assert [f["name"] for f in progress.json()["event"]["files"]] == ["bien-ban.pdf", "ds.txt"]
    assert len(files_in(media / "evidence")) == 2

    # it asks for more time; the officer approves
    clock.set(date(2026, 7, 1))
    asked = focal.post(f"/api/tasks/{inspect}/extension-request/", {"due": "2026-08-31", "reason": "Chờ số liệu"},
                       format="json")
    assert asked.status_code == 201 and asked.json()["event"]["kind"] == "extension_requested"
    assert asked.json()["task"]["state"] == "in_progress"
    approved = officer.post(f"/api/tasks/{inspect}/extension-decision/", {"approve": True, "reason": "Đồng ý"},
                            format="json")
    assert approved.status_code == 201
    assert approved.json()["task"]["due_date"] == "2026-08-31" and approved.json()["task"]["extensions"] == 1
    assert approved.json()["task"]["original_due"] == "2026-07-15"

    # it reports completion within the extended deadline
    clock.set(date(2026, 8, 20))
    done = focal.post(f"/api/tasks/{inspect}/complete/", {"result": "Đã hoàn thành rà soát"}, format="json")
    assert done.status_code == 201
    assert done.json()["task"]["state"] == "done_on_time" and done.json()["task"]["done_on"] == "2026-08-20"
    assert done.json()["task"]["progress_percent"] == 100

    # the timeline tells the story, in order
    timeline = officer.get(f"/api/tasks/{inspect}/").json()["events"]
    assert [e["kind"] for e in timeline] == ["created", "corrected", "confirmed", "progress", "extension_requested",
                                             "extension_approved", "completed"]
    assert [e["actor"] for e in timeline][-4:] == ["daumoi_btc", "daumoi_btc", "chuyenvien", "daumoi_btc"]
    assert officer.get(f"/api/tasks/{inspect}/events/").json()["count"] == 7

    # meanwhile the other tasks: Bộ Y tế's is still ahead of its deadline, the recurring one has none
    states = {t["id"]: t["state"] for t in officer.get("/api/tasks/").json()["results"]}
    assert states == {inspect: "done_on_time", hospitals: "not_due", report: "not_due"}
