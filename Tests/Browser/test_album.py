"""The image album in headless Chromium against the emulator, through the production code
paths: the site and config.js that `imgstack apply --endpoint-url` wrote to the bucket, served
by the CloudFront stand-in, whose writes pass the real edge function first. The tests run in
file order and share the deployment (users made early are used later). Each saves a screenshot
under .build/browser-screenshots/."""

import base64
import json
import re
import struct
import time
import urllib.request
import zlib

from playwright.sync_api import expect

from conftest import REGION, screenshot
from iam_policy import allows
import tokens

ADA = "ada@example.com"
GRACE = "grace@example.com"
PASSWORD = "Album#Pass2026"
NEW_PASSWORD = "Album#Renewed2026"
SESSION = "image-server-session"
SEED_OWNER = f"{REGION}:00000000-0000-4000-8000-00000000feed"


def png(width, height, rgb):
    """A PNG of one colour (RFC 2083: signature, IHDR, one IDAT of filtered rows, IEND)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def canvas_image(page, mime, colour):
    """An image drawn and encoded by the browser itself (`canvas.toDataURL`)."""
    url = page.evaluate("""([mime, colour]) => {
        const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 48;
        const context = canvas.getContext('2d'); context.fillStyle = colour; context.fillRect(0, 0, 64, 48);
        return canvas.toDataURL(mime); }""", [mime, colour])
    return base64.b64decode(url.split(",", 1)[1])


def status(page):
    return page.locator("#status")


def open_album(album, new_page):
    page = new_page()
    page.goto(album.url)
    expect(status(page)).to_have_text("")
    return page


def sign_in(page, email, password=PASSWORD):
    form = page.locator("#sign-in")
    form.get_by_label("Email", exact=True).fill(email)
    form.get_by_label("Password", exact=True).fill(password)
    form.get_by_role("button", name="Sign in").click()
    expect(status(page)).to_have_text("Signed in.")


def sign_up(page, album, email):
    page.get_by_text("Create an account").click()
    form = page.locator("#sign-up")
    form.get_by_label("Email for the new account").fill(email)
    form.get_by_label("Password for the new account").fill(PASSWORD)
    form.get_by_role("button", name="Sign up").click()
    expect(status(page)).to_have_text("Account created: enter the code Cognito mailed you.")
    # The password does not stay in the page once the account exists.
    expect(form.get_by_label("Password for the new account")).to_have_value("")


def id_token(page):
    return page.evaluate(f"JSON.parse(sessionStorage.getItem('{SESSION}')).idToken")


def identity_of(album, token):
    provider = f"cognito-idp.{REGION}.amazonaws.com/{album.deployment.output('user_pool_id')}"
    return album.identity.get_id(IdentityPoolId=album.deployment.output("identity_pool_id"), Logins={provider: token})["IdentityId"]


def through_cloudfront(page, method, key, token, body=None, content_type="image/png"):
    """A write from the page's origin with the given token, as the site sends it: (status, message)."""
    return tuple(page.evaluate("""async ([method, path, token, body, contentType]) => {
        const headers = { Authorization: `Bearer ${token}` };
        if (body !== null) headers['Content-Type'] = contentType;
        const answer = await fetch(path, { method, headers, body: body === null ? undefined : new Uint8Array(body) });
        const text = await answer.text();
        let message = text; try { message = JSON.parse(text).message; } catch {}
        return [answer.status, message]; }""",
                         [method, "/" + "/".join(part.replace(":", "%3A").replace(" ", "%20") for part in key.split("/")), token,
                          list(body) if body is not None else None, content_type]))


def listed_names(page):
    return page.locator("#album li p").all_inner_texts()


def no_page_errors(page):
    assert page.errors == [], page.errors


def test_guest_sees_the_album(album, new_page):
    album.s3.put_object(Bucket=album.bucket, Key=f"{SEED_OWNER}/harbour.png", Body=png(64, 48, (20, 120, 160)),
                        ContentType="image/png")
    page = new_page()
    listings = []
    page.on("request", lambda request: listings.append(request.url) if "list-type=2" in request.url else None)
    page.goto(album.url)
    expect(page.locator("#who")).to_have_text("Viewing as a guest.")
    expect(page.locator("#album img[alt='harbour.png']")).to_be_visible()
    # A property check, not `wait_for_function`: the album's CSP (script-src 'self') refuses the
    # eval Playwright's polling of an expression needs when the image is not loaded at the first look.
    expect(page.locator("#album img[alt='harbour.png']")).to_have_js_property("naturalWidth", 64)
    expect(page.locator("#album button")).to_have_count(0)
    expect(page.locator("#upload")).to_be_hidden()
    expect(status(page)).to_have_text("")
    # The bucket's name has dots; the configured endpoint is addressed path-style.
    assert listings and listings[0].startswith(f"{album.emulator.endpoint}/{album.bucket}?list-type=2"), listings
    screenshot(page, "01-guest-sees-the-album")
    no_page_errors(page)


def test_sign_up_send_the_code_again_and_confirm(album, new_page):
    page = open_album(album, new_page)
    sign_up(page, album, ADA)
    confirm = page.locator("#confirm")
    expect(confirm.get_by_label("Email to confirm")).to_have_value(ADA)
    confirm.get_by_role("button", name="Send the code again").click()
    expect(status(page)).to_have_text("A new code is on its way: enter it above.")
    expect(confirm.get_by_label("Confirmation code from the email")).to_be_focused()
    album.confirm(ADA)
    screenshot(page, "02-signed-up")
    no_page_errors(page)


def test_sign_in(album, new_page):
    page = open_album(album, new_page)
    sign_in(page, ADA)
    expect(page.locator("#who")).to_have_text("Signed in: you can upload and delete your own images.")
    expect(page.locator("#upload")).to_be_visible()
    expect(page.get_by_label("Only my images")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(page, "03-signed-in")
    no_page_errors(page)


def test_upload_a_jpeg_and_a_png_listed_with_thumbnails(album, new_page):
    page = open_album(album, new_page)
    sign_in(page, ADA)
    jpeg, picture = canvas_image(page, "image/jpeg", "#c0392b"), canvas_image(page, "image/png", "#2e86de")
    assert jpeg[:2] == b"\xff\xd8" and picture[:4] == b"\x89PNG"
    page.locator("#upload-form").get_by_label("Images").set_input_files([
        {"name": "red square.jpg", "mimeType": "image/jpeg", "buffer": jpeg},
        {"name": "blue.png", "mimeType": "image/png", "buffer": picture},
    ])
    page.get_by_role("button", name="Upload").click()
    expect(status(page)).to_have_text("Uploaded 2 image(s).")
    for name in ("red square.jpg", "blue.png"):
        # Alt text is the file name; the thumbnail is fetched through the distribution.
        expect(page.locator(f"#album img[alt='{name}']")).to_be_visible()
        expect(page.locator(f"#album img[alt='{name}']")).to_have_js_property("naturalWidth", 64)
        expect(page.get_by_role("button", name=f"Delete {name}")).to_be_visible()
    expect(page.get_by_role("button", name="Delete harbour.png")).to_have_count(0)
    identity = identity_of(album, id_token(page))
    stored = album.s3.head_object(Bucket=album.bucket, Key=f"{identity}/red square.jpg")
    assert stored["ContentType"] == "image/jpeg"
    assert album.s3.get_object(Bucket=album.bucket, Key=f"{identity}/blue.png")["Body"].read() == picture
    screenshot(page, "04-uploaded-jpeg-and-png")
    no_page_errors(page)


def test_only_my_images(album, new_page):
    page = open_album(album, new_page)
    sign_in(page, ADA)
    expect(page.locator("#album li")).to_have_count(3)
    page.get_by_label("Only my images").check()
    expect(page.locator("#album li")).to_have_count(2)
    assert sorted(listed_names(page)) == ["blue.png", "red square.jpg"]
    screenshot(page, "05-only-my-images")
    page.get_by_label("Only my images").uncheck()
    expect(page.locator("#album li")).to_have_count(3)
    no_page_errors(page)


def test_delete_one(album, new_page):
    page = open_album(album, new_page)
    sign_in(page, ADA)
    identity = identity_of(album, id_token(page))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete red square.jpg").click()
    expect(status(page)).to_have_text("Deleted red square.jpg.")
    expect(page.locator("#album img[alt='red square.jpg']")).to_have_count(0)
    keys = [item["Key"] for item in album.s3.list_objects_v2(Bucket=album.bucket, Prefix=f"{identity}/").get("Contents", [])]
    assert keys == [f"{identity}/blue.png"]
    screenshot(page, "06-deleted-one")
    no_page_errors(page)


def test_a_second_user_cannot_delete_the_first_users_image(album, new_page):
    ada_page = open_album(album, new_page)
    sign_in(ada_page, ADA)
    ada_identity = identity_of(album, id_token(ada_page))
    ada_key = f"{ada_identity}/blue.png"

    page = open_album(album, new_page)
    sign_up(page, album, GRACE)
    album.confirm(GRACE)
    page.locator("#account details").first.evaluate("details => details.open = false")
    sign_in(page, GRACE)
    grace_identity = identity_of(album, id_token(page))
    assert grace_identity != ada_identity
    expect(page.locator("#album img[alt='blue.png']")).to_be_visible()
    expect(page.get_by_role("button", name="Delete blue.png")).to_have_count(0)

    # The edge function refuses a DELETE outside the caller's own prefix.
    answer, message = through_cloudfront(page, "DELETE", ada_key, id_token(page))
    assert (answer, message) == (403, f"you may change only objects under {grace_identity}/")
    assert album.s3.get_object(Bucket=album.bucket, Key=ada_key)["Body"].read()[:4] == b"\x89PNG"

    # The identity pool's credentials for Grace do not allow it either: her role's policies,
    # with ${cognito-identity.amazonaws.com:sub} as her identity, allow only her own prefix.
    pool_roles = album.identity.get_identity_pool_roles(IdentityPoolId=album.deployment.output("identity_pool_id"))["Roles"]
    role = pool_roles["authenticated"].split("/")[-1]
    documents = [album.iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
                 for name in album.iam.list_role_policies(RoleName=role)["PolicyNames"]]
    as_grace = {"cognito-identity.amazonaws.com:sub": grace_identity}
    bucket_arn = f"arn:aws:s3:::{album.bucket}"
    assert not allows(documents, "s3:DeleteObject", f"{bucket_arn}/{ada_key}", as_grace)
    assert allows(documents, "s3:DeleteObject", f"{bucket_arn}/{grace_identity}/mine.png", as_grace)
    screenshot(page, "07-second-user-sees-no-delete")
    no_page_errors(page)


def test_expired_or_tampered_tokens_are_refused(album, new_page):
    page = open_album(album, new_page)
    sign_in(page, ADA)
    token = id_token(page)
    key = f"{identity_of(album, token)}/green.png"
    body = png(8, 8, (30, 160, 60))

    assert through_cloudfront(page, "PUT", key, tokens.tampered(token)) == (401, "the token signature is not valid")
    now = int(time.time())
    expired = tokens.signed_by_the_pool({**tokens.claims(token), "iat": now - 3700, "exp": now - 100})
    assert through_cloudfront(page, "PUT", key, expired) == (401, "the token has expired")
    # The same forged token, not expired, is accepted: the expiry alone was refused.
    current = tokens.signed_by_the_pool({**tokens.claims(token), "iat": now - 10, "exp": now + 600})
    assert through_cloudfront(page, "PUT", key, current, body)[0] == 200
    album.s3.delete_object(Bucket=album.bucket, Key=key)

    # A tampered token in the tab's session: the identity pool refuses it and the page signs out.
    page.evaluate(f"""(token) => {{ const session = JSON.parse(sessionStorage.getItem('{SESSION}'));
        session.idToken = token; sessionStorage.setItem('{SESSION}', JSON.stringify(session)); }}""", tokens.tampered(token))
    page.reload()
    expect(status(page)).to_have_text("your sign-in is no longer valid; sign in again")
    expect(page.locator("#who")).to_have_text("Viewing as a guest.")
    expect(page.locator("#sign-in")).to_be_visible()
    # The album is shown again, as the guest now viewing it: not left blank.
    expect(page.locator("#album li, #empty:not([hidden])").first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Delete "))).to_have_count(0)
    screenshot(page, "08-tampered-token-signed-out")
    no_page_errors(page)


def test_a_hosted_ui_sign_in_says_when_it_ends(album, new_page):
    page = open_album(album, new_page)
    answer = album.idp.initiate_auth(ClientId=album.deployment.output("client_id"), AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": ADA, "PASSWORD": PASSWORD})
    token = answer["AuthenticationResult"]["IdToken"]
    # What the hosted UI's implicit flow hands back after Google or Facebook: an ID token, no refresh token.
    page.evaluate("sessionStorage.setItem('image-server-hosted-ui-state', 'state-1')")
    page.goto(f"{album.url}#id_token={token}&access_token=a&expires_in=3600&token_type=Bearer&state=state-1")
    page.reload()
    expect(page.locator("#who")).to_have_text(re.compile(
        r"^Signed in until \d{1,2}:\d{2}.*: you can upload and delete your own images\. "
        r"A Google or Facebook sign-in lasts one hour; then sign in again\.$"))
    assert "#" not in page.url and "id_token" not in page.url
    expect(page.locator("#upload")).to_be_visible()
    screenshot(page, "09-hosted-ui-sign-in-lasts-one-hour")
    no_page_errors(page)


def test_forgot_password(album, new_page):
    page = open_album(album, new_page)
    page.get_by_text("Forgot your password?").click()
    forgot = page.locator("#forgot")
    forgot.get_by_label("Email of the account to reset").fill(ADA)
    with page.expect_response(lambda response: response.request.headers.get("x-amz-target", "").endswith(".ForgotPassword")) as sent:
        forgot.get_by_role("button", name="Mail me a reset code").click()
    expect(status(page)).to_have_text("If the account exists, a reset code is on its way: enter it with a new password.")
    # The emulator's mailbox: moto hands the code it issued back in a header.
    code = sent.value.headers["x-moto-forgot-password-confirmation-code"]
    reset = page.locator("#reset")
    expect(reset.get_by_label("Email of the account being reset")).to_have_value(ADA)
    reset.get_by_label("Reset code from the email").fill("000000")
    reset.get_by_label("New password").fill(NEW_PASSWORD)
    reset.get_by_role("button", name="Set the new password").click()
    expect(status(page)).to_have_text(re.compile(r"^Invalid verification code provided.*\(CodeMismatchException\)$"))
    reset.get_by_label("Reset code from the email").fill(code)
    reset.get_by_role("button", name="Set the new password").click()
    expect(status(page)).to_have_text("Password changed: sign in with it now.")
    screenshot(page, "10-password-reset")
    sign_in(page, ADA, NEW_PASSWORD)
    no_page_errors(page)


def test_keyboard_labels_alt_text_and_visible_focus(album, new_page):
    page = open_album(album, new_page)
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('input'))
        .filter((input) => input.labels.length === 0 && !input.getAttribute('aria-label')).map((input) => input.outerHTML)""")
    assert unlabelled == []
    # Every field's accessible name is its own: no two fields are both just "Email".
    names = page.evaluate("""() => Array.from(document.querySelectorAll('input'))
        .map((input) => input.labels.length ? input.labels[0].textContent.trim() : input.getAttribute('aria-label'))""")
    assert len(names) == len(set(names)), names
    page.keyboard.press("Tab")
    expect(page.locator("#sign-in").get_by_label("Email", exact=True)).to_be_focused()
    outline = page.evaluate("(() => { const style = getComputedStyle(document.activeElement); return [style.outlineStyle, style.outlineWidth]; })()")
    assert outline == ["solid", "3px"], outline
    screenshot(page, "11-keyboard-focus")
    page.keyboard.type(ADA)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Signed in.")
    alts = page.locator("#album img").evaluate_all("images => images.map((image) => image.alt)")
    assert sorted(alts) == ["blue.png", "harbour.png"]
    # The delete control is a button: reachable with Tab and pressed with Enter.
    delete = page.get_by_role("button", name="Delete blue.png")
    delete.focus()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.keyboard.press("Enter")
    expect(page.locator("#album img[alt='blue.png']")).to_be_visible()
    no_page_errors(page)


def test_missing_config_js_shows_one_clear_message(album, new_page):
    saved = album.s3.get_object(Bucket=album.bucket, Key="config.js")
    content, content_type = saved["Body"].read(), saved["ContentType"]
    assert b'"endpoints": {"s3": "' + album.emulator.endpoint.encode() in content, content
    album.s3.delete_object(Bucket=album.bucket, Key="config.js")
    try:
        page = new_page()
        page.goto(album.url)
        expect(status(page)).to_have_text(
            "config.js is missing, so the album does not know its bucket or sign-in service. "
            "Deploy the site with `imgstack apply`, which writes config.js next to index.html.")
        expect(status(page)).to_have_class(re.compile(r"\berror\b"))
        expect(page.locator("#account")).to_be_hidden()
        screenshot(page, "12-config-js-missing")
        no_page_errors(page)
    finally:
        album.s3.put_object(Bucket=album.bucket, Key="config.js", Body=content, ContentType=content_type)


# Active content: what a browser would run if the album's origin served it as a document.
STEALS_THE_SESSION = "fetch('/stolen?' + encodeURIComponent(JSON.stringify(sessionStorage))); document.title = 'ran';"
SVG_WITH_SCRIPT = f'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>{STEALS_THE_SESSION}</script></svg>'.encode()
HTML_WITH_SCRIPT = f"<!doctype html><title>page</title><script>{STEALS_THE_SESSION}</script><img src=x onerror=\"{STEALS_THE_SESSION}\">".encode()
UNSUPPORTED = "is not a supported image: the album takes JPEG, PNG, GIF or WebP files only"


def test_active_content_is_refused_by_the_page_and_the_edge(album, new_page):
    page = open_album(album, new_page)
    expect(page.locator("#upload-form input[type=file]")).to_have_attribute(
        "accept", "image/jpeg,image/png,image/gif,image/webp,.jpg,.jpeg,.png,.gif,.webp")
    sign_in(page, ADA, NEW_PASSWORD)
    identity = identity_of(album, id_token(page))
    before = {item["Key"] for item in album.s3.list_objects_v2(Bucket=album.bucket).get("Contents", [])}
    writes_before = [request for request in album.distribution.requests if request[0] == "PUT"]
    files = page.locator("#upload-form").get_by_label("Images")
    for name, mime, body in [("cat.svg", "image/svg+xml", SVG_WITH_SCRIPT), ("page.html", "text/html", HTML_WITH_SCRIPT),
                             ("photo.heic", "image/heic", b"\0\0\0\x18ftypheic"), ("scan.bmp", "image/bmp", b"BM"),
                             ("cat.png", "image/svg+xml", SVG_WITH_SCRIPT)]:
        # With a good image alongside: one refused file uploads nothing.
        files.set_input_files([{"name": "fine.png", "mimeType": "image/png", "buffer": png(8, 8, (1, 2, 3))},
                               {"name": name, "mimeType": mime, "buffer": body}])
        page.get_by_role("button", name="Upload").click()
        expect(status(page)).to_have_text(f"{name} {UNSUPPORTED}")
        expect(status(page)).to_have_class(re.compile(r"\berror\b"))
    after = {item["Key"] for item in album.s3.list_objects_v2(Bucket=album.bucket).get("Contents", [])}
    assert after == before
    assert [request for request in album.distribution.requests if request[0] == "PUT"] == writes_before
    screenshot(page, "13-svg-upload-refused")

    # Past the page, straight at CloudFront with a good token: the edge function refuses too.
    token = id_token(page)
    assert through_cloudfront(page, "PUT", f"{identity}/cat.svg", token, SVG_WITH_SCRIPT, "image/svg+xml") == (
        415, "only JPEG, PNG, GIF or WebP images may be uploaded: the key must end in .jpg, .jpeg, .png, .gif or .webp")
    assert through_cloudfront(page, "PUT", f"{identity}/page.html", token, HTML_WITH_SCRIPT, "text/html")[0] == 415
    assert through_cloudfront(page, "PUT", f"{identity}/cat.png", token, SVG_WITH_SCRIPT, "image/svg+xml") == (
        415, "only JPEG, PNG, GIF or WebP images may be uploaded, not image/svg+xml")
    assert through_cloudfront(page, "PUT", f"{identity}/cat.png", token, SVG_WITH_SCRIPT, "text/html") == (
        415, "only JPEG, PNG, GIF or WebP images may be uploaded, not text/html")
    assert {item["Key"] for item in album.s3.list_objects_v2(Bucket=album.bucket).get("Contents", [])} == before
    no_page_errors(page)


def test_no_stored_object_ever_runs_script_on_the_albums_origin(album, new_page):
    page = open_album(album, new_page)
    sign_in(page, ADA, NEW_PASSWORD)
    identity = identity_of(album, id_token(page))
    # Stored before the edge function checked types (or by anyone with bucket access): still harmless.
    planted = {f"{identity}/old.svg": ("image/svg+xml", SVG_WITH_SCRIPT), f"{identity}/old.html": ("text/html", HTML_WITH_SCRIPT),
               f"{identity}/sniff.png": ("image/png", HTML_WITH_SCRIPT)}
    for key, (content_type, body) in planted.items():
        album.s3.put_object(Bucket=album.bucket, Key=key, Body=body, ContentType=content_type)
    # The site itself: its own policy, no inline script, nothing sniffed.
    site = page.goto(album.url)
    expect(page.locator("#who")).to_contain_text("Signed in")
    assert "script-src 'self'" in site.headers["content-security-policy"], site.headers
    assert "'unsafe-inline'" not in site.headers["content-security-policy"].split("script-src", 1)[1].split(";")[0]
    assert site.headers["x-content-type-options"] == "nosniff"
    stolen = lambda: [request for request in album.distribution.requests if request[1].startswith("/stolen")]  # noqa: E731
    for key in [*planted, f"{identity}/red square.jpg", f"{SEED_OWNER}/harbour.png"]:
        url = album.url + "/".join(part.replace(":", "%3A").replace(" ", "%20") for part in key.split("/"))
        answer = page.goto(url)  # in the signed-in tab, as the reviewer did
        headers = answer.headers
        policy = headers["content-security-policy"]
        assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy, (key, policy)
        assert headers["x-content-type-options"] == "nosniff", key
        page.wait_for_timeout(300)
        assert page.title() != "ran", key
        assert stolen() == [], key
    screenshot(page, "14-planted-objects-never-run")
    # The owner sees the planted files by name, not as images, and can delete them.
    page.goto(album.url)
    for name in ("old.svg", "old.html"):
        expect(page.locator("#album li", has_text=name)).to_contain_text("Not a supported image: not shown.")
        expect(page.locator(f"#album img[alt='{name}']")).to_have_count(0)
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name=f"Delete {name}").click()
        expect(status(page)).to_have_text(f"Deleted {name}.")
    for key in planted:
        album.s3.delete_object(Bucket=album.bucket, Key=key)
    assert stolen() == []
    no_page_errors(page)


def test_the_browsers_signatures_were_all_accepted(album):
    """The page signs its S3 listings itself (sigv4.js); the verifying proxy re-signed each with botocore."""
    with urllib.request.urlopen(f"{album.emulator.endpoint}/__proxy/calls") as answer:
        calls = json.load(answer)
    with urllib.request.urlopen(f"{album.emulator.endpoint}/__proxy/rejections") as answer:
        rejections = json.load(answer)["rejections"]
    assert calls.get("s3:ListObjectsV2", 0) > 10, calls
    assert rejections == 0
