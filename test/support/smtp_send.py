"""A second, independent SMTP client for the relay tests: Python's smtplib and email packages.

Reads one JSON object on stdin:
  {"host", "port", "username", "password", "starttls": bool, "mail_from", "rcpt_to": [...],
   "message": {"from", "to", "subject", "text", "message_id"?, "headers"?: {...}}}
and prints one JSON object: {"stage", "code", "reply"} for the last SMTP command it got to, where stage is
"data" when the message was accepted (code 250) or the command that was refused.
"""
import json
import smtplib
import ssl
import sys
from email.message import EmailMessage


def build(spec):
    msg = EmailMessage()
    msg["From"] = spec["from"]
    msg["To"] = spec["to"]
    msg["Subject"] = spec["subject"]
    if spec.get("message_id"):
        msg["Message-ID"] = spec["message_id"]
    for name, value in spec.get("headers", {}).items():
        msg[name] = value
    msg.set_content(spec["text"])
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def main():
    req = json.load(sys.stdin)
    raw = build(req["message"])
    # The relay's certificate is self-signed in tests; a real client verifies it.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    result = {}
    with smtplib.SMTP(req["host"], req["port"], timeout=30) as client:
        client.ehlo("python-client.test")
        if req.get("starttls", True):
            client.starttls(context=context)
            client.ehlo("python-client.test")
        try:
            client.login(req["username"], req["password"])
        except smtplib.SMTPResponseException as err:
            print(json.dumps({"stage": "auth", "code": err.smtp_code, "reply": err.smtp_error.decode()}))
            return
        code, reply = client.mail(req["mail_from"])
        if code != 250:
            print(json.dumps({"stage": "mail", "code": code, "reply": reply.decode()}))
            return
        for rcpt in req["rcpt_to"]:
            code, reply = client.rcpt(rcpt)
            if code != 250:
                print(json.dumps({"stage": "rcpt", "code": code, "reply": reply.decode()}))
                return
        try:
            code, reply = client.data(raw)
        except smtplib.SMTPDataError as err:
            code, reply = err.smtp_code, err.smtp_error
        result = {"stage": "data", "code": code, "reply": reply.decode(), "raw": raw.decode()}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
