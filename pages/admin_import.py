"""Import & export (数据导入与导出): an admin brings leads, customers and deals from Excel or another
CRM, finance (and admins) their payments, invoices and shipments — template downloads, a dry run that
names every bad row, then the import (all or nothing) with a progress bar — and exports every record
the role may see, in the template's columns. Each role is offered only what it may import and see.

The check and the import go through ui.write.submit like every write (core.exchange.importer.import_file
writes all rows or none and returns its report either way, with a progress bar through the phases); the
export's file is read when the download is clicked."""
import hashlib

import pandas as pd
import streamlit as st

from core.exchange import exporter
from core.exchange import importer
from ui import context, page, widgets
from ui.read import read
from ui.write import error_of, submit

ctx = page.open(__file__)
ENTITIES = tuple(importer.entities_for(ctx.role))  # what this role may import
EXPORTS = tuple(exporter.entities_for(ctx.role))  # and export
REPORT = "imp_report"  # (fingerprint of entity, file, mapping and options; the last report)
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def entity_label(entity: str) -> str:
    return ctx.t(f"imp.entity.{entity}")


st.title(ctx.t("imp.title"))
st.caption(ctx.t("imp.caption" if "leads" in ENTITIES else "imp.caption_cash"))

entity = st.segmented_control(ctx.t("imp.entity"), ENTITIES, format_func=entity_label, default=ENTITIES[0],
                              key="imp_entity") or ENTITIES[0]

# ---- templates -----------------------------------------------------------------------------------
with st.container(border=True):
    st.markdown(f"**{ctx.t('imp.templates')}** · {entity_label(entity)}")
    st.caption(ctx.t("imp.template_help"))
    c1, c2 = st.columns(2, width=360)
    for col, fmt in ((c1, "csv"), (c2, "xlsx")):
        col.download_button(ctx.t(f"imp.template_{fmt}"), importer.template_bytes(entity, fmt),
                            file_name=f"{entity}.{fmt}", mime=MIME[fmt], key=f"imp_template_{fmt}",
                            icon=":material/download:", on_click="ignore")

# ---- the file, the mapping, the options ----------------------------------------------------------
upload = st.file_uploader(ctx.t("imp.file"), type=list(importer.FORMATS), key=f"imp_file_{entity}")
mapping_upload = st.file_uploader(ctx.t("imp.mapping_file"), type=["toml"], help=ctx.t("imp.mapping_help"),
                                  key=f"imp_mapping_{entity}")
route = entity == "leads" and st.checkbox(ctx.t("imp.route"), key="imp_route")

content = upload.getvalue() if upload is not None else b""
mapping_bytes = mapping_upload.getvalue() if mapping_upload is not None else b""
fingerprint = hashlib.sha256(b"\0".join([entity.encode(), content, mapping_bytes, str(route).encode()])).hexdigest()
last = st.session_state.get(REPORT)
report = last[1] if last and last[0] == fingerprint else None
checked = report is not None and report.dry_run and report.ok

c1, c2 = st.columns(2, width=360)
check = c1.button(ctx.t("imp.check"), key="imp_check", icon=":material/fact_check:", disabled=upload is None)
run_slot = c2.empty()  # drawn after this run's check, so a clean dry run enables it at once
run = bool(st.session_state.get("imp_run")) and checked
if upload is None:
    st.info(ctx.t("imp.pick_file"))

if upload is not None and (check or (run and checked)):
    bar = st.progress(0.0, text=ctx.t("imp.progress.read"))

    def progress(fraction: float, phase: str) -> None:
        bar.progress(min(1.0, max(0.0, fraction)), text=ctx.t(f"imp.progress.{phase}"))

    outcome = submit(ctx, "import", importer.import_file, entity, content, upload.name, now=context.now(),
                     mapping_file=(mapping_upload.name, mapping_bytes) if mapping_upload is not None else None,
                     dry_run=bool(check), route=route, progress=progress)
    bar.empty()  # done: the report below (or the file's error) takes its place
    if outcome:
        report = outcome.result
        st.session_state[REPORT] = (fingerprint, report)
    else:
        st.session_state.pop(REPORT, None)
        report = None
        st.error(error_of("import"), icon=":material/error:")

run_slot.button(ctx.t("imp.run"), key="imp_run", type="primary", icon=":material/upload:",
                help=ctx.t("imp.run_help"), disabled=not (report is not None and report.dry_run and report.ok))

# ---- the report ------------------------------------------------------------------------------------
if report is not None:
    m1, m2, m3 = st.columns(3)
    m1.metric(ctx.t("imp.metric.rows"), f"{report.rows:,}")
    m2.metric(ctx.t("imp.metric.errors"), f"{len(report.errors):,}")
    m3.metric(ctx.t("imp.metric.bad_rows"), f"{len(report.bad_rows):,}")
    lines = report.summary(ctx.lang)
    if not report.ok:
        st.error(ctx.t("imp.failed") + "\n\n" + "\n\n".join(lines))
    elif report.written:
        st.success(ctx.t("imp.done") + "\n\n" + "\n\n".join(lines))
    else:
        st.success(ctx.t("imp.ok_dry") + "\n\n" + "\n\n".join(lines))
    if report.written and report.passwords:
        st.warning(ctx.t("company.passwords_once"), icon=":material/key:")
        handed = pd.DataFrame(list(report.passwords.items()), columns=["username", "password"])
        st.dataframe(handed.rename(columns=lambda c: ctx.t(f"col.{c}")), hide_index=True, key="imp_passwords")
        widgets.export_buttons(ctx, handed, "initial-passwords", key="imp_passwords_export")
        report.passwords = {}  # not again at the next rerun
    if report.errors:
        st.subheader(ctx.t("imp.errors_title", n=f"{len(report.errors):,}"))
        shown = report.errors_frame(ctx.lang).rename(columns=lambda c: ctx.t(f"imp.col.{c}"))
        st.dataframe(shown, hide_index=True, width="stretch")
        widgets.export_buttons(ctx, shown, f"{entity}-import-errors", key="imp_errors_export")

# ---- export ------------------------------------------------------------------------------------------
if not EXPORTS:
    st.stop()
st.divider()
st.subheader(ctx.t("imp.export_title"))
st.caption(ctx.t("imp.export_caption"))
export_entity = st.segmented_control(ctx.t("imp.export_entity"), EXPORTS, format_func=entity_label,
                                     default=EXPORTS[0], key="exp_entity") or EXPORTS[0]
count = len(read(exporter.READS[export_entity], ctx.scope))
st.caption(ctx.t("imp.export_count", n=f"{count:,}"))
c1, c2 = st.columns(2, width=360)
for col, fmt in ((c1, "csv"), (c2, "xlsx")):
    col.download_button(ctx.t(f"common.download_{fmt}"),
                        lambda fmt=fmt: read(exporter.export_file, ctx.scope, export_entity, fmt),
                        file_name=f"{export_entity}.{fmt}", mime=MIME[fmt], key=f"exp_{fmt}",
                        icon=":material/download:", on_click="ignore")
