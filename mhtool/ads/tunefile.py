"""The tuned rules as a versioned TOML file (`mhtool ads tune -o FILE`).

The file extends the bundled rules (``extends = true``) and gives the
threshold and the whole table of every indicator, so `ads score --rules FILE` and `ads evaluate
--rules FILE` use it as it is. The header comment says when, from how many
labels and with which cross-validated figures it was made."""

from __future__ import annotations

import datetime
import json
import os

from mhtool.ads.rules import Rules
from mhtool.errors import MhtoolError

TUNED_MARK = "# mhtool ads tune"


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)  # strings and lists of strings: valid TOML


def render(
    rules: Rules, weights: dict[str, float], threshold: float, comment: list[str], today: datetime.date | None = None
) -> str:
    today = today or datetime.date.today()
    base_version = rules.version.split("+")[0].split("-tuned-")[0]
    lines = [f"{TUNED_MARK} on {today.isoformat()}, from the rules {rules.version}.", *(f"# {c}" for c in comment), ""]
    lines += ["extends = true", f'version = "{base_version}-tuned-{today:%Y%m%d}"', f"threshold = {threshold!r}", ""]
    for code, indicator in rules.indicators.items():
        # The whole table: the file means the same whatever the bundled rules say later.
        table = {
            "weight": weights.get(code, indicator.weight),
            "family": indicator.family or "",
            "explanation": indicator.explanation,
            "source": indicator.source,
            "phrases": indicator.phrases,
            "case_phrases": indicator.case_phrases,
            **indicator.params,
        }
        lines.append(f"[indicators.{code}]")
        lines += [f"{key} = {_value(value)}" for key, value in table.items()]
        lines.append("")
    return "\n".join(lines)


def write_private(path: str, text: str) -> None:
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise MhtoolError(f"{path}: cannot write ({exc.strerror or exc})") from None
