"""Texts of SPEC §8 targets: year and quarter plans, the weight matrix, rolling re-allocation and
the reps' confirmations (targets part)."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

for _stage, _en, _zh in (("initial_contact", "initial contact", "初步接触"), ("needs_confirmed", "needs confirmed", "需求确认"),
                         ("proposal", "proposal", "方案报价"), ("negotiation", "negotiation", "商务谈判"),
                         ("contract_signed", "contract signed", "合同签订")):
    add(f"setting.target_pipeline_weight_{_stage}", f"Weighted pipeline (targets, target health): weight of an open deal at {_en} (0–1)",
        f"加权商机（目标测算与目标健康）：{_zh}阶段未结商机的权重（0–1）")

# ---- page ----
add("plan.tab.month", "Month", "月度目标")
add("plan.tab.plan", "Year and quarter plan", "年度/季度规划")
add("plan.tab.weights", "Weights", "权重矩阵")
add("plan.period", "Period", "周期")
add("plan.period_year", "Year {year}", "{year} 年")
add("plan.period_quarter", "{year} Q{q}", "{year} 年第 {q} 季度")
add("plan.no_plan", "No plan for this period yet.", "该周期尚无目标规划。")
add("plan.versions", "Versions", "版本记录")
add("plan.version", "Version", "版本")
add("plan.version_label", "v{number} · {kind} · {status}", "第 {number} 版 · {kind} · {status}")
add("plan.col.number", "Version", "版本")
add("plan.col.kind", "Kind", "类型")
add("plan.col.status", "Status", "状态")
add("plan.col.basis_month", "After month", "依据月份")
add("plan.col.created_by", "Made by", "创建人")
add("plan.col.created_at", "Made at", "创建时间")
add("plan.col.decided_by", "Decided by", "决定人")
add("plan.col.decided_at", "Decided at", "决定时间")
add("plan.col.total", "Total (¥)", "合计（元）")
add("plan.col.rep", "Rep", "销售")
add("plan.col.team", "Team", "团队")
add("plan.col.region", "Region", "大区")
add("plan.col.name", "Name", "名称")
add("plan.col.target", "Period target (¥)", "周期目标（元）")
add("plan.col.existing", "Existing customers (¥)", "老客户（元）")
add("plan.col.pipeline", "Pipeline (¥)", "在途商机（元）")
add("plan.col.new", "New business (¥)", "新业务（元）")
add("plan.col.existing_pct", "Existing %", "老客户占比 %")
add("plan.col.pipeline_pct", "Pipeline %", "商机占比 %")
add("plan.col.new_pct", "New %", "新业务占比 %")
add("plan.col.customer_type", "Customer type", "客户类型")
add("plan.col.confirm_status", "Confirmation", "确认状态")
add("plan.col.confirmed_at", "Confirmed at", "确认时间")
add("plan.col.confirmed_amount", "Confirmed (¥)", "确认金额（元）")
for _k, _en, _zh in (("allocation", "allocation", "分解"), ("reallocation", "re-allocation", "滚动调整"),
                     ("edit", "director's edit", "总监修改")):
    add(f"plan.kind.{_k}", _en, _zh)
for _k, _en, _zh in (("proposed", "proposed", "待决定"), ("accepted", "accepted", "已采纳"),
                     ("superseded", "superseded", "已被取代"), ("edited", "edited, kept", "已修改（保留）")):
    add(f"plan.status.{_k}", _en, _zh)
for _k, _en, _zh in (("confirmed", "confirmed", "已确认"), ("changed", "changed since confirmed", "确认后已变更"),
                     ("unconfirmed", "not confirmed", "未确认")):
    add(f"plan.confirm.{_k}", _en, _zh)
add("plan.by_region", "By region", "按大区")
add("plan.by_team", "By team", "按团队")
add("plan.by_rep", "By rep and month", "按销售和月份")
add("plan.sources", "Where each rep's target comes from", "每位销售目标的来源")
add("plan.sources_caption", "Existing customers: the last 12 months' signed contracts, weighted and pro rata to the "
    "period. Pipeline: open deals × stage weight × weight. New business: the rest, to be found.",
    "老客户：近 12 个月已签合同，按权重并按周期长度折算；在途商机：未结商机 × 阶段权重 × 权重；新业务：其余部分，需新开拓。")
add("plan.my_sources", "Your target of {period}: ¥{target} — existing customers ¥{existing}, pipeline ¥{pipeline}, "
    "new business ¥{new}.", "您 {period} 的目标：¥{target} —— 老客户 ¥{existing}，在途商机 ¥{pipeline}，新业务 ¥{new}。")
add("plan.propose_title", "Propose a plan from the regions' targets", "按大区目标生成规划方案")
add("plan.propose_caption", "Each region's target is split among its teams and each team's among its reps by their "
    "weighted history and pipeline, then over the months; in whole yuan, adding up exactly.",
    "各大区目标按加权历史与在途商机分解到团队、再到销售，然后分到各月；以元为单位取整，合计精确相等。")
add("plan.region_amount", "Target of {region} (¥)", "{region} 目标（元）")
add("plan.propose", "Propose the allocation", "生成分解方案")
add("plan.proposed", "Proposal made: look at it below, edit it if need be, and accept it.",
    "方案已生成：请在下方查看，必要时修改，然后采纳。")
add("plan.realloc_title", "Re-allocate after a month closed", "月度结束后滚动调整")
add("plan.realloc_caption", "The months up to the closed one keep their targets; what each team still has to sign "
    "is spread over the remaining months among its reps by their gap and weighted pipeline.",
    "截至已结束月份的目标保持不变；各团队尚需完成的部分按销售的缺口与加权在途商机分配到剩余月份。")
add("plan.closed_month", "Closed month", "已结束月份")
add("plan.reallocate", "Propose the re-allocation", "生成滚动调整方案")
add("plan.accept_title", "Accept the proposal", "采纳方案")
add("plan.accept_caption", "Edit any rep's month before accepting; the edited plan becomes a new version and the "
    "proposal is kept.", "采纳前可修改任一销售的月度目标；修改后的规划保存为新版本，原方案保留。")
add("plan.accept", "Accept", "采纳")
add("plan.accepted", "Accepted: the reps' monthly targets are updated.", "已采纳：销售的月度目标已更新。")
add("plan.weights_caption", "A won or open deal counts its amount × the weight of its customer type × product "
    "(1.0 where none is set).", "已赢单或在途商机按金额 × 客户类型 × 产品权重计入（未设定为 1.0）。")
add("plan.weights_save", "Save the weights", "保存权重")
add("plan.weights_saved", "Weights saved: {n} changed.", "权重已保存：{n} 项变更。")
add("plan.confirm_title", "Your target of {month}", "您 {month} 的目标")
add("plan.confirm_amount", "Signed amount target: ¥{amount}", "签约额目标：¥{amount}")
add("plan.confirm_done", "You confirmed it on {at}.", "您已于 {at} 确认。")
add("plan.confirm_changed", "It changed after you confirmed ¥{amount}: please confirm again.",
    "您确认 ¥{amount} 后目标已变更：请重新确认。")
add("plan.confirm", "Confirm my target", "确认我的目标")
add("plan.confirmed", "Target confirmed.", "目标已确认。")
add("plan.no_month_target", "No signed-amount target for this month yet.", "本月尚未设定签约额目标。")
add("plan.unconfirmed_title", "Not confirmed yet", "尚未确认")
add("plan.all_confirmed", "Every rep with a target has confirmed it.", "所有有目标的销售均已确认。")
add("plan.confirmed_count", "{n} of {total} reps confirmed their target.", "{total} 位销售中 {n} 位已确认目标。")

# ---- errors ----
add("plan.err.period", "Choose a year (YYYY) or a quarter (YYYY-Qn).", "请选择年度（YYYY）或季度（YYYY-Qn）。")
add("plan.err.pair", "{who}: choose a customer type and a product.", "{who}：请选择客户类型和产品。")
add("plan.err.weight", "{who}: a weight is a number from 0 to {max}.", "{who}：权重须为 0 到 {max} 之间的数字。")
add("plan.err.region", "Region {who} does not exist.", "大区 {who} 不存在。")
add("plan.err.amount", "{who}: enter a target.", "{who}：请输入目标。")
add("plan.err.whole", "{who}: a target is a whole number of yuan.", "{who}：目标须为整数元。")
add("plan.err.no_reps", "{who} has no active reps to give a target to.", "{who} 没有在岗销售，无法分配目标。")
add("plan.err.empty", "Give at least one region a target above 0.", "请至少为一个大区设定大于 0 的目标。")
add("plan.err.month_not_in_period", "Choose a month of {period}.", "请选择 {period} 内的月份。")
add("plan.err.month_open", "That month has not closed yet.", "该月份尚未结束。")
add("plan.err.nothing_left", "No months are left after that one in this period.", "该月份之后本周期已无剩余月份。")
add("plan.err.no_plan", "{period} has no accepted plan to re-allocate.", "{period} 没有已采纳的规划可调整。")
add("plan.err.not_proposed", "That version is no longer a proposal: open the page again.",
    "该版本已不是待决定方案：请重新打开页面。")
add("plan.err.edit_row", "{who} is not a row of this proposal.", "{who} 不在该方案中。")
add("plan.err.no_target", "You have no signed-amount target this month to confirm.", "您本月没有可确认的签约额目标。")
add("plan.err.level", "Sum by region or by team.", "请按大区或团队汇总。")
