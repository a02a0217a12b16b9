"""The site options planfolio reads, with their defaults, and how `today` is decided."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import yaml


@dataclass(frozen=True, slots=True)
class Limits:
    """The site options that findings depend on."""

    csf_limit: int = 5
    review_days: int = 90
    slip_limit: int = 2  # PF202: this many slips of a commitment's due date, or more


class SettingsError(Exception):
    """A site option that cannot be used (a bad date, an unreadable people file)."""


@dataclass(frozen=True, slots=True)
class Settings:
    plans_dir: Path = Path("plans")
    people_file: Path | None = None
    not_plans: tuple[str, ...] = ()  # glob patterns, relative to the plans folder, of Markdown files that are not plans
    limits: Limits = field(default_factory=Limits)
    today: date | None = None  # fixed by the user; else SOURCE_DATE_EPOCH, else the system date
    site_url: str | None = None  # mkdocs.yml's `site_url`, where it is a text: the digest links plan pages under it
    use_directory_urls: bool = True  # mkdocs.yml's option: a plan page is `acme/`, else `acme.html`


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: str, what: str) -> date:
    """A date written YYYY-MM-DD, and only so (`date.fromisoformat` also takes `20270115` and `2027W035`)."""
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise SettingsError(f"{what} must be a date YYYY-MM-DD, not {text!r}")


def resolve_today(fixed: date | None, environ: dict[str, str] | os._Environ[str] = os.environ) -> date:
    """`today` as the contract defines it: the user's date, else SOURCE_DATE_EPOCH's UTC date, else the system's."""
    if fixed is not None:
        return fixed
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError, OSError):
            raise SettingsError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}") from None
    return date.today()


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: tags such as `!!python/name:` or `!ENV` are read as no value."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def from_mkdocs_yml(config_file: Path) -> Settings:
    """The planfolio options of a site's `mkdocs.yml`, read the way the plugin reads them."""
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8-sig"), Loader=_TolerantLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SettingsError(f"cannot read {config_file}: {error}") from None
    except (ValueError, RecursionError) as error:  # an impossible date such as 2026-13-01, or nesting without end
        raise SettingsError(f"cannot read {config_file}: {error}") from None
    if not isinstance(config, dict):
        raise SettingsError(f"{config_file} is not a mapping of settings")
    options: dict[str, object] = {}
    plugins = config.get("plugins") or []
    # MkDocs takes plugins as a list (`- planfolio: {...}`) or as a mapping (`planfolio: {...}`).
    for plugin in [plugins] if isinstance(plugins, dict) else plugins:
        if isinstance(plugin, dict) and isinstance(plugin.get("planfolio"), dict):
            options = plugin["planfolio"]
    base = config_file.parent
    settings = settings_from_options(base, str(config.get("docs_dir") or "docs"), options)
    site_url = config.get("site_url")  # `!ENV [...]` reads as no value: no address is known
    settings = replace(settings, use_directory_urls=config.get("use_directory_urls") is not False)
    return replace(settings, site_url=site_url.strip() or None) if isinstance(site_url, str) else settings


def settings_from_options(base: Path, docs_dir: str, options: dict[str, object]) -> Settings:
    """Settings from the plugin's options as written in mkdocs.yml (paths relative to the config file)."""
    defaults = Settings()
    people = options.get("people")
    today = options.get("today")
    if isinstance(today, date):
        fixed_today: date | None = today
    elif today is not None:  # `today: ''` is a mistake, not "no date"
        fixed_today = parse_date(str(today), "the planfolio option `today`")
    else:
        fixed_today = None
    return Settings(
        plans_dir=base / docs_dir,
        people_file=base / str(people) if people else None,
        not_plans=_patterns(options.get("not_plans")),
        limits=Limits(
            csf_limit=_whole_number(options, "csf_limit", defaults.limits.csf_limit),
            review_days=_whole_number(options, "review_days", defaults.limits.review_days),
            slip_limit=_whole_number(options, "slip_limit", defaults.limits.slip_limit),
        ),
        today=fixed_today,
    )


def _patterns(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(pattern, str) for pattern in value):
        raise SettingsError("the planfolio option `not_plans` must be a list of glob patterns")
    return tuple(value)


def _whole_number(options: dict[str, object], key: str, default: int) -> int:
    value = options.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise SettingsError(f"the planfolio option `{key}` must be a whole number, not {value!r}")
    return value
