"""Log a visit (拜访登记): the scenario forms of SPEC §5, phone first — pick the scenario, pick the
customer (or lead), fill at most five fields, submit. Who and when come from context; photos (camera
or upload), a voice note, a file, an earlier time, a note or a request to another department are
optional extras. After the submit the page shows what was saved, its files, and the key step it
opened or completed; below, the caller's open key steps and recent records."""
from datetime import datetime

import pandas as pd
import streamlit as st

from core.base.vocabulary import DEPARTMENTS
from core.process import attachments as att
from core.process import capture, scenarios
from ui import context, page, widgets
from ui.read import minute, read, settings as read_settings
from ui.write import error_of, field_error, flash, submit

ctx = page.open(__file__)
settings = read_settings(ctx.scope)
S = st.session_state
FORM = "visit"
# the records saved last (shown back), the generation of the file widgets, the photos taken
SAVED, GEN, CAMERA = "visit_saved", "visit_files_gen", "visit_camera_photos"
S.setdefault(GEN, 0)
S.setdefault(CAMERA, [])


def label(key: str) -> str:
    return ctx.t(f"process.f.{key}")


def field_key(code: str, key: str) -> str:
    return f"visit_f_{code}_{key}"


def when(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


# ---- choosing scenario and customer -------------------------------------------------------------

options = read(capture.subject_options, ctx.scope)
names = {r.key: (ctx.t("visit.lead_label", name=r.name) if r.kind == "lead" else r.name)
         for r in options.itertuples()}
params = st.query_params
if "visit_scenario" not in S and params.get("scenario") in scenarios.SCENARIO_BY_CODE:
    S["visit_scenario"] = params["scenario"]
if "visit_subject" not in S:
    wanted = f"l{params['lead']}" if "lead" in params else f"c{params['customer']}" if "customer" in params else None
    S["visit_subject"] = wanted if wanted in names else None
elif S["visit_subject"] is not None and S["visit_subject"] not in names:
    S["visit_subject"] = None

st.title(ctx.t("visit.title"))
st.caption(ctx.t("visit.caption"))
code = st.pills(ctx.t("visit.scenario"), [s.code for s in scenarios.SCENARIOS],
                format_func=lambda c: ctx.t(f"process.s.{c}"), key="visit_scenario", width="stretch")
subject = st.selectbox(ctx.t("visit.subject"), list(names), format_func=names.get, index=None, key="visit_subject",
                       placeholder=ctx.t("visit.subject_ph"))
field_error(FORM, "customer_id")
field_error(FORM, None)  # a refusal of the caller (the role or an inactive account)
if options.empty:
    st.info(ctx.t("visit.no_subjects"))
open_steps = read(capture.open_steps, ctx.scope, minute())


def hints() -> None:
    """What is open for the chosen customer or lead, and a nudge when a first visit is not the first."""
    if subject is None:
        return
    mine = capture.steps_of_subject(open_steps, subject)
    for r in mine.itertuples():
        step = r.step_zh if ctx.lang == "zh" else r.step_en
        st.caption(":material/schedule: " + ctx.t("visit.hint_open", customer=names[subject], step=step,
                                                  due=when(r.due_at)))
    instead = capture.instead_of(code, mine)
    if instead:
        st.info(ctx.t("visit.hint_contacted", scenario=ctx.t(f"process.s.{instead}")))


# ---- the form ----------------------------------------------------------------------------------

def input_for(code: str, f: scenarios.FieldDef, customer_name: str) -> None:
    key, name = field_key(code, f.key), label(f.key)
    if f.kind == "text":
        if f.key == "store" and not S.get(key) and customer_name:
            S[key] = customer_name
        st.text_input(name, key=key, max_chars=f.max_len, placeholder=ctx.t(f"process.ph.{f.key}")
                      if f.key == "next_action" else None)
    elif f.kind == "longtext":
        st.text_area(name, key=key, max_chars=f.max_len, height=80,
                     placeholder=ctx.t("process.ph.problem") if f.key == "problem" else None)
    elif f.kind == "list":
        st.text_input(name, key=key, placeholder=ctx.t("process.ph.concerns"))
    elif f.kind == "int":
        st.number_input(name, key=key, min_value=int(f.minimum), max_value=int(f.maximum), value=f.default,
                        step=1, placeholder="—")
    elif f.kind == "number":
        st.number_input(name, key=key, min_value=float(f.minimum), value=None, step=1000.0, format="%.2f",
                        placeholder="—")
    elif f.kind == "choice":
        st.selectbox(name, f.choices, key=key, index=None, format_func=lambda c: ctx.t(f"process.cat.{c}"),
                     placeholder="—")
    elif f.kind == "bool":
        st.toggle(name, key=key, value=bool(f.default))
    elif f.kind == "datetime":
        today = context.now().replace(hour=0, minute=0, second=0, microsecond=0)
        st.datetime_input(name, key=key, value=None, min_value=today, format="YYYY-MM-DD")
    elif f.kind == "photos":
        need = settings[f.min_setting] if f.min_setting else 1
        st.markdown(f"**{name}** · " + ctx.t("visit.photos_needed", n=need, got=photo_count()))
    field_error(FORM, f.key)


def photo_count() -> int:
    uploaded = S.get(f"visit_upload_{S[GEN]}") or []
    return len(S[CAMERA]) + sum(1 for u in uploaded if att.is_photo(u.name))


def add_camera_photo() -> None:
    shot = S.get(f"visit_camera_{S[GEN]}_{len(S[CAMERA])}")
    if shot is not None:
        S[CAMERA] = S[CAMERA] + [(shot.name, shot.getvalue())]


def clear_camera() -> None:
    S[CAMERA] = []


def files_section(sc: scenarios.Scenario) -> None:
    needs_photos = "photos" in sc.keys
    with st.expander(ctx.t("visit.files_required" if needs_photos else "visit.files"), expanded=needs_photos,
                     icon=":material/attach_file:"):
        if st.toggle(ctx.t("visit.camera_toggle"), key="visit_camera_on"):
            st.camera_input(ctx.t("visit.camera"), key=f"visit_camera_{S[GEN]}_{len(S[CAMERA])}",
                            on_change=add_camera_photo)
        if S[CAMERA]:
            st.caption(ctx.t("visit.camera_taken", n=len(S[CAMERA])))
            st.image([data_ for _, data_ in S[CAMERA]], width=90)
            st.button(ctx.t("visit.clear_photos"), key="visit_clear_camera", on_click=clear_camera)
        mb = settings["upload_max_file_mb"]
        st.file_uploader(ctx.t("visit.upload"), accept_multiple_files=True, key=f"visit_upload_{S[GEN]}",
                         max_upload_size=max(1, int(-(-mb // 1))),
                         help=ctx.t("visit.upload_help", mb=f"{mb:g}", files=settings["upload_max_files"]))
        st.audio_input(ctx.t("visit.voice"), key=f"visit_voice_{S[GEN]}")
        field_error(FORM, "attachments")


def more_section(sc: scenarios.Scenario) -> None:
    with st.expander(ctx.t("visit.more"), icon=":material/more_horiz:"):
        st.datetime_input(label("happened_at"), key="visit_happened", value=None, max_value=context.now(),
                          format="YYYY-MM-DD", help=ctx.t("visit.happened_help"))
        field_error(FORM, "happened_at")
        if "note" not in sc.keys:
            st.text_area(ctx.t("visit.note"), key="visit_note", max_chars=capture.NOTE_MAX, height=68)
            field_error(FORM, "note")
        if sc.request:
            st.markdown(f"**{ctx.t('visit.request')}**")
            st.selectbox(label("request_department"), DEPARTMENTS, index=None, key="visit_req_dept",
                         format_func=lambda d: ctx.t(f"process.dept.{d}"), placeholder="—")
            field_error(FORM, "request_department")
            st.text_input(label("request_subject"), key="visit_req_subject", max_chars=capture.REQUEST_SUBJECT_MAX)
            field_error(FORM, "request_subject")


def uploads() -> list[att.Upload]:
    out = [att.Upload(name, data_) for name, data_ in S[CAMERA]]
    out += [att.Upload(u.name, u.getvalue()) for u in (S.get(f"visit_upload_{S[GEN]}") or [])]
    voice = S.get(f"visit_voice_{S[GEN]}")
    if voice is not None:
        out.append(att.Upload(voice.name, voice.getvalue()))
    return out


def send(c, code: str) -> None:
    """The submit button's callback: runs before the page, so refusals show at their fields."""
    sc = scenarios.SCENARIO_BY_CODE[code]
    values = {f.key: S.get(field_key(code, f.key)) for f in sc.fields}
    subject = S.get("visit_subject")
    request = (S.get("visit_req_dept"), S.get("visit_req_subject")) if sc.request else None
    S[SAVED] = None
    submit(c, FORM, capture.log_scenario, code, fields=values, now=context.now(), **capture.subject_of(subject),
           happened_at=S.get("visit_happened"), attachments=uploads(),
           note="" if "note" in sc.keys else S.get("visit_note") or "", request=request,
           done=lambda logged: saved(c, sc, logged))


def saved(c, sc: scenarios.Scenario, logged: capture.Logged) -> str:
    """After a save: remember the records to show back, empty the form; the message to flash."""
    S[SAVED] = {"ids": logged.activity_ids, "request": (logged.request.department, logged.request.subject)
                if logged.request else None}
    for f in sc.fields:  # an empty form again (the widgets' own defaults)
        S[field_key(sc.code, f.key)] = "" if f.kind in ("text", "longtext", "list") else f.default
    S["visit_note"] = S["visit_req_subject"] = ""
    S["visit_req_dept"] = S["visit_happened"] = None
    S["visit_camera_on"] = False
    S[CAMERA] = []
    S[GEN] += 1  # new, empty upload, camera and voice widgets
    return c.t("visit.saved", scenario=c.t(f"process.s.{sc.code}"), customer=logged.subject)


# ---- showing a saved record --------------------------------------------------------------------

def shown_value(key: str, value) -> str:
    if isinstance(value, bool):
        return ctx.t("visit.yes" if value else "visit.no")
    if isinstance(value, list):
        return ctx.t("list.sep").join(map(str, value))
    if key == "category":
        return ctx.t(f"process.cat.{value}")
    if key.endswith("_at") and isinstance(value, str):
        try:
            return when(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def show_file(f: att.StoredFile) -> None:
    try:
        content = att.read_bytes(f)
    except att.AttachmentUnavailable:
        st.warning(ctx.t("visit.file_missing", name=f.original_name))
        return
    if f.category == "photo" and f.content_type != "image/heic":
        try:
            st.image(content, caption=f.original_name, width=220)
            return
        except Exception:  # a photo the browser's image library cannot draw is still offered as a file
            pass
    if f.category == "voice":
        st.caption(f.original_name)
        st.audio(content, format=f.content_type)
    else:
        st.download_button(ctx.t("visit.download", name=f.original_name), content, file_name=f.original_name,
                           mime=f.content_type, key=f"visit_file_{f.id}", icon=":material/download:")


def record_view(views: list[capture.ActivityView]) -> None:
    for v in views:
        with st.container(border=True):
            st.markdown(f"**{ctx.t(f'process.kind.{v.kind}')}** · {v.customer}")
            st.caption(ctx.t("visit.logged_by", logged=when(v.logged_at), happened=when(v.happened_at)))
            for key, value in v.fields:
                st.markdown(f"{label(key)}：{shown_value(key, value)}")
            if v.note:
                st.markdown(f"{ctx.t('visit.note')}：{v.note}")
            for e in v.steps:
                step = e.name_zh if ctx.lang == "zh" else e.name_en
                if e.effect == "opened":
                    st.info(ctx.t("visit.opened", step=step, due=when(e.due_at)), icon=":material/flag:")
                elif e.on_time:
                    st.success(ctx.t("visit.closed_on_time", step=step, due=when(e.due_at)), icon=":material/check_circle:")
                else:
                    st.warning(ctx.t("visit.closed_late", step=step, due=when(e.due_at)), icon=":material/schedule:")
            for f in v.attachments:
                show_file(f)


def saved_banner() -> None:
    saved = S.get(SAVED)
    if not saved:
        return
    views = read(capture.saved_records, ctx.scope, tuple(saved["ids"]))
    if not views:
        return
    main = views[-1]
    flash(FORM, toast=True)
    st.success(ctx.t("visit.saved", scenario=ctx.t(f"process.s.{main.scenario}"), customer=main.customer),
               icon=":material/check_circle:")
    if not any(v.steps for v in views):
        st.caption(ctx.t("visit.no_step"))
    if saved.get("request"):
        dept, subject_ = saved["request"]
        st.caption(ctx.t("visit.request_sent", department=ctx.t(f"process.dept.{dept}"), subject=subject_))
    record_view(views)


# ---- the caller's open steps and recent records ---------------------------------------------------

def open_steps_table() -> None:
    title = "visit.open_steps" if ctx.scope.own_only else "visit.open_steps_team"
    with st.expander(ctx.t(title, n=len(open_steps)), icon=":material/pending_actions:"):
        if open_steps.empty:
            st.write(ctx.t("visit.no_open_steps"))
            return
        left = open_steps["hours_left"].map(lambda h: ctx.t("visit.left", hours=f"{h:g}") if h >= 0
                                            else ctx.t("visit.overdue", hours=f"{-h:g}"))
        cols = {"step": open_steps["step_zh" if ctx.lang == "zh" else "step_en"], "customer": open_steps["customer"],
                "due_at": open_steps["due_at"], "time_left": left}
        if not ctx.scope.own_only:
            cols["owner"] = open_steps["owner"]
        shown = pd.DataFrame(cols).rename(columns=lambda c: ctx.t(f"visit.col.{c}"))
        st.dataframe(shown, hide_index=True, width="stretch", key="visit_open_steps",
                     column_config={ctx.t("visit.col.due_at"): st.column_config.DatetimeColumn(format="MM-DD HH:mm")})
        widgets.export_buttons(ctx, shown, "open-steps", key="visit_open_steps_export")


def recent_table() -> None:
    recent = read(capture.recent_activities, ctx.scope, 30)
    st.subheader(ctx.t("visit.recent"))
    if recent.empty:
        st.write(ctx.t("visit.none"))
        return
    cols = ["logged_at", "scenario", "customer", "attachments"] + ([] if ctx.scope.own_only else ["owner"])
    # the form's name; the kind's for a visit written beside its summary, or an activity without a form
    what = [ctx.t(f"process.s.{f}") if f else ctx.t(f"process.kind.{k}") for f, k in zip(recent["form"], recent["kind"])]
    shown = recent[cols].assign(scenario=what, logged_at=recent["logged_at"].map(when))
    shown = shown.rename(columns=lambda c: ctx.t(f"visit.col.{c}"))
    st.dataframe(shown, hide_index=True, width="stretch", key="visit_recent")
    widgets.export_buttons(ctx, shown, "recent-records", key="visit_recent_export")
    labels = {int(r.id): f"{when(r.logged_at)} · {w} · {r.customer or ''}" for r, w in zip(recent.itertuples(), what)}
    chosen = st.selectbox(ctx.t("visit.view"), list(labels), format_func=labels.get, index=None, key="visit_view",
                          placeholder="—")
    if chosen is not None:
        record_view(read(capture.saved_records, ctx.scope, (chosen,)))


# ---- the page ----------------------------------------------------------------------------------

if code is None:
    st.info(ctx.t("visit.pick_scenario"), icon=":material/touch_app:")
    saved_banner()
else:
    sc = scenarios.SCENARIO_BY_CODE[code]
    hints()
    customer_name = options.set_index("key")["name"].get(subject, "") if subject else ""
    with st.container(border=True, key="visit_form"):
        st.caption(ctx.t(f"process.s_help.{code}"))
        for f in sc.fields:
            input_for(code, f, customer_name)
        files_section(sc)
        more_section(sc)
        if error_of(FORM):
            st.error(ctx.t("visit.refused"), icon=":material/error:")
        st.button(ctx.t("visit.submit"), type="primary", width="stretch", key="visit_submit", on_click=send,
                  args=(ctx, code), icon=":material/send:")
    saved_banner()
open_steps_table()
recent_table()
