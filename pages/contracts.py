"""Contracts & payments (合同与回款, SPEC §7): the contracts the user may see — searchable, by status,
downloadable — and one contract's card: its instalments, the money received, the invoices and the
shipments, and the share paid. Finance records a payment or issues an invoice from the card (an
invoice only once more than 95 % is paid); sales create a contract for a customer of theirs,
optionally for one of their won deals."""
from datetime import timedelta

import pandas as pd
import streamlit as st

from core.base.vocabulary import CONTRACT_STATUSES
from core.cash import contracts as cash
from ui import context, page, widgets
from ui.read import minute, read
from ui.write import error_of, field_error, flash, submit

ctx = page.open(__file__)
now = minute()
today = now.date()
NEW, PAY, INVOICE = "contract_new", "contract_payment", "contract_invoice"  # the three forms
MONEY = st.column_config.NumberColumn(format="¥%,.2f")
SHARE = st.column_config.NumberColumn(format="percent")
LIST = ("number", "customer", "owner", "team", "amount", "received", "paid_share", "invoiced", "shipped", "signed_at",
        "status")  # the contract list's columns, in order


def yuan(value) -> str:
    return f"¥{value:,.2f}"


def share_text(share) -> str:
    return "—" if share is None or pd.isna(share) else f"{share * 100:.1f} %"


def status_name(status: str) -> str:
    return ctx.t(f"cash.status.{status}")


def labelled(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns=lambda c: ctx.t(f"cash.col.{c}"))


def money_columns(*names: str) -> dict:
    return {ctx.t(f"cash.col.{n}"): MONEY for n in names}


MOMENTS = {ctx.t(f"cash.col.{n}"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
           for n in ("received_at", "created_at", "issued_at", "shipped_at")}


def open_contract(contract_id: int | None) -> None:
    if contract_id is None:
        st.query_params.pop("contract", None)
    else:
        st.query_params["contract"] = str(contract_id)


# ---- sales: a new contract ---------------------------------------------------------------------------

def create_contract(choices: dict) -> None:
    """Submit callback (runs before the page): the contract, opened on its card."""
    s = st.session_state
    kind, target = choices.get(s.get("new_target"), (None, None))
    customer_id = target if kind == "customer" else (target["customer_id"] if kind == "deal" else None)
    outcome = submit(ctx, NEW, cash.create_contract, customer_id=customer_id, amount=s.get("new_amount"),
                     signed_at=s.get("new_signed"), instalments=s.get("new_instalments"),
                     every_days=s.get("new_every"), opportunity_id=target["id"] if kind == "deal" else None,
                     now=context.now(),
                     done=lambda c: ctx.t("cash.created", number=c.number, amount=yuan(float(c.amount))))
    if outcome:
        open_contract(outcome.result.id)
        s["contract_pick"] = None
        s["new_target"], s["new_amount"] = None, None
        s["new_instalments"], s["new_every"], s["new_signed"] = 1, 30, today


def new_contract_form() -> None:
    search = st.session_state.get("new_search_text", "")
    options = read(cash.contract_options, ctx.scope, search)
    choices: dict[str, tuple] = {}
    for d in options.deals.itertuples():
        choices[f"deal:{d.id}"] = ("deal", {"id": int(d.id), "customer_id": int(d.customer_id)})
    for c in options.customers.itertuples():
        choices[f"customer:{c.id}"] = ("customer", int(c.id))
    labels = {f"deal:{d.id}": ctx.t("cash.new.deal_option", deal=d.name, customer=d.customer, amount=yuan(d.amount))
              for d in options.deals.itertuples()}
    labels |= {f"customer:{c.id}": (f"{c.customer} · {c.owner}" if not ctx.scope.own_only else c.customer)
               for c in options.customers.itertuples()}
    s = st.session_state
    s.setdefault("new_signed", today)
    s.setdefault("new_instalments", 1)
    s.setdefault("new_every", 30)
    if s.get("new_target") is not None and s["new_target"] not in choices:
        s["new_target"] = None
    with st.expander(ctx.t("cash.new.title"), icon=":material/add_circle:",
                     expanded=error_of(NEW) is not None):
        if len(options.customers) >= cash.OPTIONS_LIMIT or search:
            st.text_input(ctx.t("cash.new.search"), key="new_search_text", max_chars=cash.MAX_SEARCH)
        if not choices:
            st.info(ctx.t("cash.new.no_customers"))
            return
        with st.form("contract_new_form", border=False):
            field_error(NEW, None)
            st.selectbox(ctx.t("cash.new.target"), list(choices), format_func=labels.get, index=None,
                         key="new_target", placeholder="—", help=ctx.t("cash.new.target_help"))
            field_error(NEW, "customer_id")
            field_error(NEW, "opportunity_id")
            c1, c2 = st.columns(2)
            with c1:
                st.number_input(ctx.t("cash.new.amount"), min_value=0.0, step=1000.0, format="%.2f", value=None,
                                key="new_amount", help=ctx.t("cash.new.amount_help"))
                field_error(NEW, "amount")
            with c2:
                st.date_input(ctx.t("cash.new.signed_at"), key="new_signed", max_value=today,
                              min_value=today - timedelta(days=cash.SIGN_BACKDATE_DAYS), format="YYYY-MM-DD")
                field_error(NEW, "signed_at")
            c3, c4 = st.columns(2)
            with c3:
                st.number_input(ctx.t("cash.new.instalments"), min_value=1, max_value=cash.MAX_INSTALMENTS, step=1,
                                key="new_instalments")
                field_error(NEW, "instalments")
            with c4:
                st.number_input(ctx.t("cash.new.every_days"), min_value=1, max_value=cash.MAX_EVERY_DAYS, step=1,
                                key="new_every")
                field_error(NEW, "every_days")
            field_error(NEW, "number")
            st.form_submit_button(ctx.t("cash.new.submit"), type="primary", icon=":material/save:",
                                  on_click=create_contract, args=(choices,))


# ---- finance: a payment, an invoice ------------------------------------------------------------------

def record_payment(contract_id: int, number: str) -> None:
    s = st.session_state
    if submit(ctx, PAY, cash.record_payment, contract_id, amount=s.get("pay_amount"), received_at=s.get("pay_date"),
              reference=s.get("pay_ref_text"), now=context.now(),
              done=lambda r: ctx.t("cash.paid", amount=yuan(float(r.amount)), number=number)):
        s["pay_amount"], s["pay_ref_text"] = None, ""


def record_invoice(contract_id: int, number: str) -> None:
    s = st.session_state
    if submit(ctx, INVOICE, cash.record_invoice, contract_id, number=s.get("inv_number_text"),
              amount=s.get("inv_amount"), issued_at=s.get("inv_date"), now=context.now(),
              done=lambda i: ctx.t("cash.invoiced", invoice=i.number, amount=yuan(float(i.amount)), number=number)):
        s["inv_number_text"], s["inv_amount"] = "", None


def finance_forms(card: cash.ContractCard) -> None:
    c = card.contract
    cid, number = int(c["id"]), c["number"]
    s = st.session_state
    s.setdefault("pay_date", today)
    s.setdefault("inv_date", today)
    left, right = st.columns(2)
    with left, st.form(f"contract_pay_form_{cid}"):
        st.markdown(f"**{ctx.t('cash.pay.title')}**")
        field_error(PAY, None)
        field_error(PAY, "contract_id")
        st.number_input(ctx.t("cash.pay.amount"), min_value=0.0, step=1000.0, format="%.2f", value=None,
                        key="pay_amount")
        field_error(PAY, "amount")
        st.date_input(ctx.t("cash.pay.received_at"), key="pay_date", format="YYYY-MM-DD")
        field_error(PAY, "received_at")
        st.text_input(ctx.t("cash.pay.reference"), key="pay_ref_text", max_chars=cash.REFERENCE_MAX,
                      help=ctx.t("cash.pay.reference_help"))
        field_error(PAY, "reference")
        st.form_submit_button(ctx.t("cash.pay.submit"), type="primary", icon=":material/payments:",
                              on_click=record_payment, args=(cid, number))
    with right, st.form(f"contract_invoice_form_{cid}"):
        st.markdown(f"**{ctx.t('cash.inv.title')}**")
        st.caption(ctx.t("cash.inv.rule", min=f"{card.min_paid_share * 100:g}"))
        field_error(INVOICE, None)
        field_error(INVOICE, "contract_id")
        st.text_input(ctx.t("cash.inv.number"), key="inv_number_text", max_chars=cash.NUMBER_MAX)
        field_error(INVOICE, "number")
        st.number_input(ctx.t("cash.inv.amount"), min_value=0.0, step=1000.0, format="%.2f", value=None,
                        key="inv_amount", help=ctx.t("cash.inv.amount_help", room=yuan(card.invoice_room)))
        field_error(INVOICE, "amount")
        st.date_input(ctx.t("cash.inv.issued_at"), key="inv_date", format="YYYY-MM-DD")
        field_error(INVOICE, "issued_at")
        st.form_submit_button(ctx.t("cash.inv.submit"), type="primary", icon=":material/receipt_long:",
                              on_click=record_invoice, args=(cid, number))


# ---- one contract's card -----------------------------------------------------------------------------

def contract_card(card: cash.ContractCard) -> None:
    c = card.contract
    with st.container(border=True, key="contract_card"):
        st.subheader(ctx.t("cash.card.title", number=c["number"], customer=c["customer"]))
        st.caption(ctx.t("cash.card.caption", owner=c["owner"], team=c["team"] or "—",
                         signed=f"{pd.Timestamp(c['signed_at']):%Y-%m-%d}", status=status_name(c["status"]),
                         deal=c["deal"] or "—"))
        for row in (("amount", c["amount"]), ("received", card.received), ("paid_share", card.paid_share)), \
                (("invoiced", card.invoiced), ("shipped", card.shipped), ("overdue", card.overdue)):
            for col, (name, value) in zip(st.columns(3), row):
                col.metric(ctx.t(f"cash.col.{name}"), share_text(value) if name == "paid_share" else yuan(value))
        paid, need = share_text(card.paid_share), f"{card.min_paid_share * 100:g}"
        if card.may_invoice:
            st.success(ctx.t("cash.card.may_invoice", paid=paid, min=need, room=yuan(card.invoice_room)))
        elif card.invoice_room <= 0:
            st.info(ctx.t("cash.card.fully_invoiced"))
        else:
            st.info(ctx.t("cash.card.not_yet", paid=paid, min=need))
        tabs = st.tabs([ctx.t("cash.tab.instalments", n=len(card.instalments)),
                        ctx.t("cash.tab.receipts", n=len(card.receipts)),
                        ctx.t("cash.tab.invoices", n=len(card.invoices)),
                        ctx.t("cash.tab.shipments", n=len(card.shipments))])
        tables = ((card.instalments, ("amount_due", "amount_received"), "instalments"),
                  (card.receipts, ("amount",), "receipts"), (card.invoices, ("amount",), "invoices"),
                  (card.shipments, ("value",), "shipments"))
        for tab, (df, money, name) in zip(tabs, tables):
            with tab:
                if df.empty:
                    st.write(ctx.t("cash.none_yet"))
                    continue
                shown = labelled(df)
                st.dataframe(shown, hide_index=True, width="stretch", key=f"contract_{name}",
                             column_config=money_columns(*money) | MOMENTS)
                widgets.export_buttons(ctx, shown, f"{c['number']}-{name}", key=f"contract_{name}_export")
        if ctx.may("payment.record") and c["status"] != "cancelled":
            finance_forms(card)
        if st.button(ctx.t("cash.card.close"), key="contract_close", icon=":material/close:"):
            open_contract(None)
            st.session_state.pop("contract_pick", None)
            st.rerun()


# ---- the page ------------------------------------------------------------------------------------------

st.title(ctx.t("cash.title"))
st.caption(ctx.t("cash.caption"))
for form in (NEW, PAY, INVOICE):
    flash(form)
if ctx.may("contract.create"):
    new_contract_form()

c1, c2 = st.columns([3, 1])
search = c1.text_input(ctx.t("cash.search"), key="contracts_search", max_chars=cash.MAX_SEARCH,
                       placeholder=ctx.t("cash.search_hint"))
status = c2.selectbox(ctx.t("cash.status"), [None, *CONTRACT_STATUSES], key="contracts_status",
                      format_func=lambda s: ctx.t("common.all") if s is None else status_name(s))
df = read(cash.contracts, ctx.scope, search, status)
if df.empty:
    st.info(ctx.t("common.no_rows"))
else:
    totals = df.attrs
    st.caption(ctx.t("cash.count", n=f"{totals['total']:,}", amount=yuan(totals["amount"]),
                     received=yuan(totals["received"]))
               + (" " + ctx.t("common.showing", shown=f"{len(df):,}", total=f"{totals['total']:,}")
                  if totals["total"] > len(df) else ""))
    shown = labelled(df[list(LIST)].assign(status=df["status"].map(status_name)))
    st.dataframe(shown, hide_index=True, width="stretch", key="contracts_table", height=320,
                 column_config=money_columns("amount", "received", "invoiced", "shipped")
                 | {ctx.t("cash.col.paid_share"): SHARE,
                    ctx.t("cash.col.signed_at"): st.column_config.DatetimeColumn(format="YYYY-MM-DD")})
    widgets.export_buttons(ctx, shown, "contracts", key="contracts_export")
    labels = {int(r.id): f"{r.number} · {r.customer} · {yuan(r.amount)}" for r in df.itertuples()}
    chosen = st.selectbox(ctx.t("cash.open"), [None, *labels], key="contract_pick",
                          format_func=lambda i: ctx.t("cash.open_none") if i is None else labels[i])
    if chosen is not None and st.query_params.get("contract") != str(chosen):
        open_contract(chosen)

asked = st.query_params.get("contract")
if asked is not None:
    card = read(cash.contract_card, ctx.scope, int(asked), now) if asked.isdigit() and len(asked) < 12 else None
    if card is None:
        st.warning(ctx.t("cash.no_such_contract"))
    else:
        contract_card(card)
