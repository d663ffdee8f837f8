"""Jobs (定时任务): the last runs of the scheduled jobs with their counts and errors, and running a
job now (under the same lock cron takes) with a progress bar."""
import streamlit as st

from core import schedule
from core.base import runs
from ui import context, page
from ui.read import read
from ui.write import error_of, form_error, submit

CRONTAB = "*/5 * * * * cd /srv/sales-cockpit && .venv/bin/python -m cli run-jobs >> /var/log/cockpit-jobs.log 2>&1"

ctx = page.open(__file__)
st.title(ctx.t("jobs.title"))
st.caption(ctx.t("jobs.caption"))
st.code(CRONTAB, language="bash")

held = read(runs.lock_state, ctx.scope)
if held:
    st.info(ctx.t("jobs.running", holder=held["holder"], since=f"{held['since']:%Y-%m-%d %H:%M:%S}"),
            icon=":material/hourglass_top:")

if ctx.may("job.run"):
    names = schedule.job_names()
    chosen = st.multiselect(ctx.t("jobs.pick"), names, default=names, key="jobs_pick")
    if st.button(ctx.t("jobs.run"), type="primary", key="jobs_run", icon=":material/play_arrow:"):
        if not chosen:
            st.warning(ctx.t("jobs.pick_one"))
        else:
            bar = st.progress(0.0, text=ctx.t("jobs.progress", job=chosen[0], i=1, n=len(chosen)))
            done = 0
            for i, name in enumerate(chosen):
                bar.progress(i / len(chosen), text=ctx.t("jobs.progress", job=name, i=i + 1, n=len(chosen)))
                got = submit(ctx, "jobs_run", schedule.run_job_now, name, context.now())
                if not got:
                    break  # another run holds the lock: said below, nothing more is started
                done += 1
                result = got.result
                if result.error:
                    st.error(ctx.t("jobs.failed_one", job=name, error=result.error), icon=":material/error:")
                else:
                    st.success(ctx.t("jobs.done_one", job=name, count=result.count), icon=":material/check_circle:")
            bar.progress(done / len(chosen), text=ctx.t("jobs.finished", n=done))
    if error_of("jobs_run"):
        form_error("jobs_run")

st.subheader(ctx.t("jobs.runs"))
last = read(runs.last_runs, ctx.scope)
if last.empty:
    st.info(ctx.t("jobs.none"))
else:
    shown = last.drop(columns=["id"]).assign(trigger=last["trigger"].map(lambda v: ctx.t(f"jobs.trigger.{v}")))
    st.dataframe(shown.rename(columns=lambda c: ctx.t(f"jobs.col.{c}")), hide_index=True, width="stretch",
                 column_config={ctx.t(f"jobs.col.{c}"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")
                                for c in ("started_at", "finished_at", "run_at")})
