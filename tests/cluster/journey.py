"""The member journey of `make cluster`, each request to the other app server in turn:
sign-in by SMS code, an aid application with an upload, the status page, the staff decisions
in the admin, the SMS in the outbox. The session, the upload and the decision hold across both.

    python -m tests.cluster.journey CLUSTER_DIR     # after scripts/cluster/up.sh
"""

import re
import sys
import time

from django.utils import timezone

from .client import Browser, Cluster, illness_form, png_bytes

STATUS = re.compile(r'id="aid-status"[^>]*>\s*([^<]+?)\s*<')


def status_text(page: str) -> str:
    found = STATUS.search(page)
    return found.group(1) if found else ""


def submit_aid(browser: Browser, data: dict, *, image: bytes, name: str = "发票.png"):
    path = f"/aid/apply/{data['aid_type']}/"
    assert browser.get(path).status == 200
    today = timezone.localdate().isoformat()  # the portal's calendar (Asia/Shanghai), not the machine's
    return browser.post(path, illness_form(today), files={"receipts": (name, image, "image/png")})


def member_journey(cluster: Cluster, data: dict, member: dict, ports: list[int] | None = None) -> dict:
    started = time.monotonic()
    ports = ports or cluster.app_ports
    browser = Browser(ports)
    browser.sign_in_by_code(cluster, member["phone"])
    home = browser.get("/me/")
    assert home.status == 200 and member["name"] in home.text, home.status  # the session, on the other server

    answer = submit_aid(browser, data, image=png_bytes())
    assert answer.status == 302, (answer.status, answer.text[:3000])
    detail_path = answer.headers["Location"]
    pk = int(re.search(r"/me/aid/(\d+)/", detail_path).group(1))
    detail = browser.get(detail_path)
    assert detail.status == 200 and status_text(detail.text) == "待工会审核", status_text(detail.text)
    document = re.search(r'href="(/aid/documents/\d+/)"', detail.text).group(1)
    for _ in ports:  # the upload, read back from each server (shared media)
        file = browser.get(document)
        assert file.status == 200 and file.headers["Content-Type"].startswith("image/"), file.status
        assert file.body[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb", b"\xff\xd8\xff\xe1")

    officer, aid_staff = Browser(ports), Browser(ports)
    officer.staff_sign_in(data["officer"], data["password"])
    decide = f"/admin/aid/application/{pk}/decide/"
    assert officer.get(decide).status == 200
    checked = officer.post(decide, {"target": "checked"})
    assert checked.status == 302, (checked.status, checked.text[:3000])
    assert status_text(browser.get(detail_path).text) == "待帮扶中心审批"

    aid_staff.staff_sign_in(data["aid_staff"], data["password"])
    before = len(cluster.sms())
    approved = aid_staff.post(decide, {"target": "approved", "amount": "3000"})
    assert approved.status == 302, (approved.status, approved.text[:3000])
    for _ in ports:
        assert status_text(browser.get(detail_path).text) == "已批准"

    message = cluster.wait_sms(member["phone"], "批准", after=before)
    rows = cluster.sql("SELECT status FROM notify_smsmessage WHERE phone = %s ORDER BY id", [member["phone"]])
    assert rows and all(status in ("sent", "sending", "pending") for (status,) in rows), rows
    # The decision reached the streaming replica too (what the statistics read).
    for _ in range(50):
        if cluster.sql("SELECT status FROM aid_application WHERE id = %s", [pk], replica=True) == [("approved",)]:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the replica never saw the approval")
    return {"application": pk, "sms": message["text"], "ports": sorted(set(browser.served_by)),
            "seconds": round(time.monotonic() - started, 2)}


def main(folder: str) -> None:
    cluster = Cluster(folder)
    data = cluster.seed(members=2)
    direct = member_journey(cluster, data, data["members"][0])
    print(f"Member journey alternating app servers {direct['ports']}: application {direct['application']} "
          f"approved, SMS delivered ({direct['seconds']} s).")
    proxied = member_journey(cluster, data, data["members"][1], ports=[cluster.nginx_port])
    print(f"Member journey through nginx :{cluster.nginx_port}: application {proxied['application']} approved, "
          f"SMS delivered ({proxied['seconds']} s).")


if __name__ == "__main__":
    main(sys.argv[1])
