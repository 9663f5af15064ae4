"""An aiosmtpd handler for Dateline's tests: every message received is saved
as one JSON file in a directory, which the tests read (tests/it/smtp_server.rs).

Run as: python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c save_handler.SaveToDirectory DIR
with this folder on PYTHONPATH. A recipient whose address starts with
"refuse" is refused with a permanent 550, so tests can see a permanent failure.
"""

import email
import email.policy
import itertools
import json
import os


class SaveToDirectory:
    def __init__(self, directory):
        self.directory = directory
        self.numbers = itertools.count(1)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("SaveToDirectory takes one argument: the directory to save messages in")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("refuse"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = "" if message.is_multipart() else message.get_content()
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            # Values decoded (RFC 2047 encoded words read back) and unfolded.
            "headers": [[name, str(value)] for name, value in message.items()],
            "body": body,
            "raw": raw.decode("utf-8", "replace"),
        }
        number = next(self.numbers)
        path = os.path.join(self.directory, "%06d.json" % number)
        # Written under another name first, so a reader never sees half a file.
        with open(path + ".part", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(path + ".part", path)
        return "250 Message accepted for delivery"
