"""Every setting, its default and its meaning, in one place; the environment overrides any of them.

`PAICHA_<NAME>` sets a setting (a setting marked plain_env also takes its plain name); a value that does not parse stops the start with a message naming the variable. Nothing else in
the service reads os.environ: the PDF pool, the web server and the CLI take their settings here.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import time as dt_time
from datetime import timedelta
from pathlib import Path
from email.utils import parseaddr
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

PREFIX = "PAICHA_"


class ConfigError(ValueError):
    """A setting given a value it cannot take; the message names the variable."""


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, as a container's cpuset limits it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def web_workers() -> int:
    """One gunicorn worker per usable CPU, and never fewer than two: a slow request never holds
    the whole service, and the PDF pool is not theirs to share out."""
    return max(2, usable_cpus())


def _int(raw: str) -> int:
    return int(raw.strip().replace("_", ""))


def _float(raw: str) -> float:
    return float(raw.strip())


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("expected one of 1/0, true/false, yes/no, on/off")


def _str(raw: str) -> str:
    return raw.strip()


_KINDS: dict[type, Callable[[str], Any]] = {int: _int, float: _float, bool: _bool, str: _str}


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any  # a value, or a callable computing it at load time (paths, CPU count)
    kind: type
    help: str
    plain_env: bool = False  # also read from the plain variable name (DATABASE_URL, REDIS_URL)
    optional: bool = False  # None is a valid value (no limit, not set)
    choices: tuple = ()  # the only values it takes, when it is one of a few words

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default

    def shown_default(self) -> str:
        """The default as the README's table shows it."""
        if callable(self.default):
            return {"usable_cpus": "usable CPUs", "web_workers": "usable CPUs, at least 2",
                    "_instance": "./instance"}[self.default.__name__]
        if self.default is None or self.default == "":
            return "—"
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        return str(self.default)

    def parse(self, variable: str, raw: str) -> Any:
        if self.optional and raw.strip() == "":
            return None
        try:
            value = _KINDS[self.kind](raw)
        except ValueError as err:
            raise ConfigError(f"环境变量 {variable}={raw!r} 无效：应为 {self.kind.__name__}（{err}）") from None
        if self.choices and value not in self.choices:
            raise ConfigError(f"环境变量 {variable}={raw!r} 无效：应为 {' 或 '.join(self.choices)}")
        return value


def _instance() -> str:
    return str(Path.cwd() / "instance")


SETTINGS: tuple[Setting, ...] = (
    Setting("MAX_CONTENT_LENGTH", 5 * 1024 * 1024, int, "request body limit in bytes (413 beyond it)"),
    Setting("INSTANCE_DIR", _instance, str, "where the service keeps its files (the default SQLite database), "
            "relative to the working directory"),
    Setting("DATABASE_URL", "", str, "the database: postgresql+psycopg://user@host/db, or sqlite:///path "
            "(default: SQLite file INSTANCE_DIR/paicha.db, migrated on start; others: `paicha db upgrade`)",
            plain_env=True),
    Setting("DATABASE_TIMEOUT", 30.0, float, "seconds a database call may wait: SQLite's busy timeout, "
            "PostgreSQL's connect and statement timeouts, a free pooled connection"),
    Setting("ARTIFACT_DIR", "", str, "where rendered files are kept for reuse, a directory every worker reaches "
            "(empty: in the database)"),
    Setting("REDIS_URL", "", str, "Redis for the batch queue and the rate limits, redis://host:6379/0: batches go to "
            "RQ and `paicha worker` runs them, and every worker and machine counts the rate limits there (empty: a "
            "thread pool in the web process runs batches, each worker counts limits in its own memory; no Redis "
            "needed)", plain_env=True),
    Setting("REDIS_TIMEOUT", 5.0, float, "seconds a Redis call may take (connect and each command)"),
    Setting("BATCH_QUEUE", "paicha-batch", str, "the RQ queue name batches go to (and `paicha worker` listens on)"),
    Setting("BATCH_THREADS", usable_cpus, int, "branches the in-process runner (no REDIS_URL) renders side by side"),
    Setting("BATCH_LEASE", 120.0, float, "seconds a branch stays claimed by a worker that stops renewing it "
            "(killed, lost): then it is retried"),
    Setting("BATCH_ATTEMPTS", 3, int, "tries a branch of a batch gets before it is marked failed"),
    Setting("LOG_LEVEL", "INFO", str, "logging level"),
    Setting("LOG_FORMAT", "json", str, "json: one JSON object per log line (time, level, logger, message, "
            "request_id, …); text: plain lines for a developer's terminal", choices=("json", "text")),
    Setting("PDF_ENABLED", True, bool, "offer PDF (needs LibreOffice here, or PDF_POOL_URL / PDF_POOL_EXTERNAL)"),
    Setting("PDF_POOL_URL", "", str, "the machine's PDF pool server, http://host:port (gunicorn's master "
            "sets it for its workers; empty: the process runs a pool of its own, as the CLI does)"),
    Setting("PDF_POOL_LISTEN", "127.0.0.1:2102", str, "where the pool server that gunicorn's master "
            "starts listens (`python -m service.pdf.server`)"),
    Setting("PDF_POOL_SIZE", usable_cpus, int, "LibreOffice instances (default: usable CPUs)"),
    Setting("PDF_POOL_BASE_PORT", 2103, int, "XML-RPC ports of the instances: base, base+1, …"),
    Setting("PDF_POOL_BASE_UNO_PORT", 2203, int, "soffice UNO ports of the instances"),
    Setting("PDF_POOL_EXTERNAL", "", str, "host:port,… of unoservers run elsewhere (no LibreOffice here)"),
    Setting("PDF_POOL_PYTHON", "", str, "a Python that imports uno and unoserver (default: the running one)"),
    Setting("SOFFICE", "", str, "the soffice binary (default: soffice on PATH)"),
    Setting("PDF_DEADLINE", 60.0, float, "seconds one conversion may take before its instance is killed"),
    Setting("PDF_QUEUE_TIMEOUT", None, float, "seconds to wait for a free instance (empty: PDF_DEADLINE)",
            optional=True),
    Setting("PDF_QUEUE_LIMIT", 16, int, "conversions that may wait for an instance; more get 503"),
    Setting("PDF_RECYCLE_AFTER", 200, int, "conversions after which an instance is restarted"),
    Setting("PDF_MAX_BYTES", 50 * 1024 * 1024, int, "largest office file sent to LibreOffice"),
    Setting("PDF_CACHE_BYTES", 256 * 1024 * 1024, int, "PDF cache size in memory"),
    Setting("PDF_CACHE_DIR", "", str, "directory that keeps cached PDFs across restarts (empty: memory only)"),
    Setting("PDF_CONNECT_WAIT", 60.0, float, "seconds an instance waits for its soffice to listen"),
    Setting("WEB_WORKERS", web_workers, int, "gunicorn worker processes (default: usable CPUs, at least 2)"),
    Setting("WEB_THREADS", 4, int, "threads per gunicorn worker for everything but PDF conversions; each "
            "worker gets PDF_POOL_SIZE + PDF_QUEUE_LIMIT more, so every PDF request the pool cannot take "
            "reaches it and gets its 503 at once instead of waiting for a thread"),
    Setting("SECRET_KEY", "", str, "signs the session cookies (empty: a random key made once and kept in "
            "INSTANCE_DIR/secret_key — one machine only; set the same value on every machine that serves)"),
    Setting("SESSION_COOKIE_SECURE", False, bool, "send the session cookie over HTTPS only (true when the "
            "service is served over HTTPS)"),
    Setting("SESSION_HOURS", 8.0, float, "a sign-in lasts this many hours after the last request"),
    Setting("LOGIN_LOCK_FAILURES", 5, int, "wrong passwords in a row that lock an account"),
    Setting("LOGIN_LOCK_MINUTES", 15, int, "how long a locked account stays locked"),
    Setting("RATE_LIMITS", True, bool, "enforce the rate limits below (429 with Retry-After beyond them)"),
    Setting("LIMIT_LOGIN_PER_ADDRESS", "30 per minute", str, "sign-in attempts from one address"),
    Setting("LIMIT_LOGIN_PER_ACCOUNT", "10 per minute", str, "sign-in attempts for one account name"),
    Setting("LIMIT_UPLOAD_PER_PRINCIPAL", "30 per minute", str, "uploads and stored datasets (web upload, PUT "
            "dataset, workbook read) by one account or token"),
    Setting("LIMIT_UPLOAD_PER_ADDRESS", "60 per minute", str, "the same, from one address"),
    Setting("LIMIT_RENDER_PER_PRINCIPAL", "300 per minute", str, "validations, documents, packages and "
            "downloads by one account or token"),
    Setting("LIMIT_RENDER_PER_ADDRESS", "600 per minute", str, "the same, from one address"),
    Setting("ROSTER_UPLOAD_HOURS", 24.0, float, "hours a roster uploaded on the clerk's import page is kept for its "
            "mapping and preview before it must be uploaded again"),
    Setting("INVITE_DAYS", 30, int, "days a member's invitation link (本人核对登记表) stays valid; the clerk renews "
            "it for as many again"),
    Setting("INVITE_CHECK_TRIES", 5, int, "wrong identity checks (last six characters of the ID number) that lock a "
            "member's link until the clerk renews it"),
    Setting("LIMIT_MEMBER_PER_INVITATION", "20 per minute", str, "requests to one member's link (its page and "
            "/api/v1/self/…), whoever sends them"),
    Setting("LIMIT_MEMBER_PER_ADDRESS", "60 per minute", str, "requests to members' links from one address"),
    Setting("NOTIFY_WECOM_URL", "", str, "the 企业微信 group robot reminders go to, its webhook "
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… (empty: none)"),
    Setting("NOTIFY_DINGTALK_URL", "", str, "the 钉钉 custom robot reminders go to, its webhook "
            "https://oapi.dingtalk.com/robot/send?access_token=… (empty: none)"),
    Setting("NOTIFY_DINGTALK_SECRET", "", str, "that robot's signing secret (安全设置 → 加签: SEC and letters and "
            "digits); empty when it is guarded by keywords (add 排查) or addresses instead"),
    Setting("SMTP_URL", "", str, "the mail server reminder e-mails go through: smtp://host:25 (plain), "
            "smtp+starttls://host:587 (STARTTLS, refused without it), smtps://host:465 (TLS from the start); "
            "user:password@ before the host when it wants a sign-in, URL-encoded (empty: no e-mail)"),
    Setting("MAIL_FROM", "", str, "the sender of reminder e-mails: paicha@example.cn or 区委教育工委 "
            "<paicha@example.cn> (needed with SMTP_URL)"),
    Setting("NOTIFY_TIMEOUT", 10.0, float, "seconds a call to a robot or the mail server may take (connecting, "
            "and each read or write)"),
    Setting("NOTIFY_ROBOT_WAIT", 60.0, float, "seconds a message beyond a robot's 20 a minute waits for room "
            "(counted in Redis for every worker when REDIS_URL is set); beyond that it is logged failed and the "
            "next run sends it"),
    Setting("REMIND_DAYS_BEFORE", "3,1", str, "the days before each deadline on which branches that have not sent "
            "are reminded, comma-separated (0: the deadline's own day)"),
    Setting("REMIND_AT", "", str, "the Beijing time of day the reminder rules run by themselves, HH:MM such as 08:30 "
            "(empty: never by themselves; POST /api/v1/reminders/run or paicha remind from cron instead). With "
            "REDIS_URL an RQ-scheduled job run by paicha worker; without it a thread of the web service, one "
            "process a day sending"),
)
BY_NAME = {s.name: s for s in SETTINGS}

# flask-smorest / OpenAPI: fixed by the service, not settings
FIXED: dict[str, Any] = {
    "API_TITLE": "Paicha 排查文书服务",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "/docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/static/",
    "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None},  # the page sends the spec to no one
    # sessions (Flask, Flask-Login) and CSRF (Flask-WTF): see service.access
    "SESSION_COOKIE_NAME": "paicha_session",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_CHECK_DEFAULT": False,  # the guard checks it, for every request not signed by a Bearer token
    "WTF_CSRF_TIME_LIMIT": None,  # valid as long as the session: a clerk may fill the form for an hour
    "WTF_CSRF_SSL_STRICT": False,  # Referrer-Policy: no-referrer sends no Referer to check; SameSite=Lax and the token do
    # rate limits (Flask-Limiter): see service.access.limits
    "RATELIMIT_KEY_PREFIX": "paicha",
    "RATELIMIT_STRATEGY": "sliding-window-counter",
    "RATELIMIT_HEADERS_ENABLED": False,  # Retry-After on a 429 only (service.http.errors)
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,  # Redis down: count in memory, keep serving
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_STORAGE_OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
}


def variables(setting: Setting) -> tuple[str, ...]:
    """The environment variables that set a setting, the prefixed one first."""
    return (PREFIX + setting.name, setting.name) if setting.plain_env else (PREFIX + setting.name,)


def load(overrides: Optional[dict] = None, environ: Optional[dict] = None) -> dict:
    """Defaults, then the environment, then explicit overrides (tests, create_app(config))."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        value = setting.default_value()
        for variable in variables(setting):
            if variable in env:
                value = setting.parse(variable, env[variable])
                break
        values[setting.name] = value
    values.update(overrides or {})
    _derive(values)
    return {**FIXED, **values}


def _derive(values: dict) -> None:
    """Defaults that follow from other settings."""
    instance = Path(values["INSTANCE_DIR"])
    values["DATABASE_URL"] = values["DATABASE_URL"] or f"sqlite:///{instance / 'paicha.db'}"
    for name in ("DATABASE_TIMEOUT", "REDIS_TIMEOUT", "BATCH_LEASE"):
        if float(values[name]) <= 0:
            raise ConfigError(f"设置 {PREFIX}{name}={values[name]!r} 无效：应大于 0")
    values["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=float(values["SESSION_HOURS"]))
    values["RATELIMIT_ENABLED"] = bool(values["RATE_LIMITS"])
    values["RATELIMIT_STORAGE_URI"] = values["REDIS_URL"] or "memory://"
    _check_reminders(values)
    for name in ("PDF_POOL_SIZE", "WEB_WORKERS", "WEB_THREADS", "PDF_QUEUE_LIMIT", "PDF_RECYCLE_AFTER", "BATCH_THREADS",
                 "BATCH_ATTEMPTS", "LOGIN_LOCK_FAILURES", "LOGIN_LOCK_MINUTES"):
        if int(values[name]) < 1:
            raise ConfigError(f"设置 {PREFIX}{name}={values[name]!r} 无效：至少为 1")



ROBOT_URLS = ("NOTIFY_WECOM_URL", "NOTIFY_DINGTALK_URL")
SMTP_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}  # the schemes SMTP_URL takes, their default ports
_DINGTALK_SECRET = re.compile(r"SEC[0-9A-Za-z]{16,200}")
_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


def remind_days(raw: str) -> tuple[int, ...]:
    """REMIND_DAYS_BEFORE as days, farthest first: "3,1" → (3, 1); ValueError for anything else."""
    days = {int(part) for part in raw.replace("，", ",").split(",") if part.strip()}
    if not days or min(days) < 0 or max(days) > 100:
        raise ValueError(raw)
    return tuple(sorted(days, reverse=True))


def remind_at(raw: str) -> Optional[dt_time]:
    """REMIND_AT as a time of day (Beijing): "08:30" → 08:30; "" → None (off); ValueError for anything else."""
    if not raw.strip():
        return None
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", raw.strip())
    if match is None:
        raise ValueError(raw)
    return dt_time(int(match.group(1)), int(match.group(2)))


def _refuse(name: str, why: str) -> ConfigError:
    return ConfigError(f"设置 {PREFIX}{name} 无效：{why}")


def _check_reminders(values: dict) -> None:
    """The reminder channels: an address that cannot work stops the start, naming the setting (never
    echoing the value: robot addresses, the secret and the mail server's password are credentials)."""
    for name in ROBOT_URLS:
        url = urlsplit(values[name])
        if values[name] and (url.scheme not in ("http", "https") or not url.hostname):
            raise _refuse(name, "应为以 http:// 或 https:// 开头的机器人 Webhook 地址")
    secret = values["NOTIFY_DINGTALK_SECRET"]
    if secret and not _DINGTALK_SECRET.fullmatch(secret):
        raise _refuse("NOTIFY_DINGTALK_SECRET", "应为钉钉机器人「加签」的密钥：SEC 开头，其后为字母和数字")
    if secret and not values["NOTIFY_DINGTALK_URL"]:
        raise _refuse("NOTIFY_DINGTALK_SECRET", f"已设置加签密钥，但没有设置 {PREFIX}NOTIFY_DINGTALK_URL")
    if values["SMTP_URL"]:
        _check_smtp(values["SMTP_URL"])
        if not values["MAIL_FROM"]:
            raise _refuse("MAIL_FROM", f"使用 {PREFIX}SMTP_URL 发送邮件时须设置发件人地址")
    sender = values["MAIL_FROM"]
    if sender and not _ADDRESS.fullmatch(parseaddr(sender)[1]):
        raise _refuse("MAIL_FROM", f"{sender!r} 不是电子邮件地址（如 paicha@example.cn）")
    if float(values["NOTIFY_TIMEOUT"]) <= 0:
        raise _refuse("NOTIFY_TIMEOUT", "应大于 0")
    if float(values["NOTIFY_ROBOT_WAIT"]) < 0:
        raise _refuse("NOTIFY_ROBOT_WAIT", "不能为负数")
    try:
        remind_days(values["REMIND_DAYS_BEFORE"])
    except ValueError:
        raise _refuse("REMIND_DAYS_BEFORE", f"{values['REMIND_DAYS_BEFORE']!r} 应为 0–100 的天数，以逗号分隔，"
                      "如 3,1") from None
    try:
        remind_at(values["REMIND_AT"])
    except ValueError:
        raise _refuse("REMIND_AT", f"{values['REMIND_AT']!r} 应为北京时间的时和分，如 08:30；留空为不定时提醒") from None


def _check_smtp(raw: str) -> None:
    url = urlsplit(raw)
    if url.scheme not in SMTP_PORTS:
        raise _refuse("SMTP_URL", "应以 smtp://、smtp+starttls:// 或 smtps:// 开头")
    try:
        _ = url.port  # urlsplit checks the port only when asked
    except ValueError:
        raise _refuse("SMTP_URL", "端口应为 1–65535 的数字") from None
    if not url.hostname or url.path not in ("", "/") or url.query or url.fragment:
        raise _refuse("SMTP_URL", "应为 协议://[用户名:密码@]主机[:端口]，不带路径或参数（STARTTLS 用 smtp+starttls://）")
