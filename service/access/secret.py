"""The key that signs session cookies: SECRET_KEY when set, else one made once and kept under INSTANCE_DIR.

Several workers starting together on a new instance folder agree on one key: each writes its
candidate to a temporary file and links it to the final name, which only the first can create;
the others read that one. Never a key written in the code.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE = "secret_key"


def secret_key(configured: str, instance_dir: str) -> str:
    if configured:
        return configured
    path = Path(instance_dir) / FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        candidate = path.with_name(f".{FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(candidate, path)  # fails when another process was first: use its key
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable key: delete it (sessions will end) or set PAICHA_SECRET_KEY")
    return key
