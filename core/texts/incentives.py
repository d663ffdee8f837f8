"""Texts of the incentives (SPEC §8): the points ledger, payouts, the
what-if sandbox, the payroll export, the model's settings and errors."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

add("nav.incentives", "Incentives & points", "激励与积分")

# ---- settings ----
for _k, _en, _zh in [
    ("incentive_weight_new_customer", "Incentives: weight of a new customer's deal", "激励：新客户成交权重"),
    ("incentive_weight_strategic", "Incentives: weight of a strategic industry", "激励：战略行业权重"),
    ("incentive_weight_collaboration", "Incentives: weight of collaboration points", "激励：协同积分权重"),
    ("incentive_yuan_per_point", "Incentives: ¥ per point", "激励：每积分金额（¥）"),
    ("incentive_breaker_complaint_pct", "Incentives: circuit breaker above complaint rate (%)",
     "激励：熔断投诉率阈值（%）"),
    ("incentive_breaker_freeze_pct", "Incentives: share of the process pool frozen (%)", "激励：熔断冻结过程奖金比例（%）"),
    ("incentive_points_issue_closed", "Points per customer issue closed", "每闭环一个客户问题的积分"),
    ("incentive_points_request_answered", "Points per cross-department request answered", "每个协同请求获答复的积分"),
    ("incentive_ledger_days", "Points ledger: actions looked at (days back)", "积分台账：回溯天数"),
]:
    add(f"setting.{_k}", _en, _zh)

# ---- model parameters ----
for _k, _en, _zh in [
    ("weight_new_customer", "Weight: new customer", "权重：新客户"),
    ("weight_strategic", "Weight: strategic industry", "权重：战略行业"),
    ("weight_collaboration", "Weight: collaboration", "权重：协同"),
    ("yuan_per_point", "¥ per point", "每积分金额（¥）"),
    ("tier_full", "PSI for the full process bonus", "过程奖金全额发放 PSI 线"),
    ("tier_partial", "PSI for the partial process bonus", "过程奖金部分发放 PSI 线"),
    ("tier_partial_payout", "Partial process bonus paid (%)", "部分发放比例（%）"),
    ("breaker_threshold_pct", "Circuit breaker: complaint rate above (%)", "熔断：投诉率高于（%）"),
    ("breaker_freeze_pct", "Circuit breaker: process pool frozen (%)", "熔断：冻结过程奖金（%）"),
    ("strategic_industries", "Strategic industries", "战略行业"),
]:
    add(f"incentive.param.{_k}", _en, _zh)

# ---- rules, parts, weight keys, tiers ----
for _k, _en, _zh in [
    ("step_on_time", "Key step done on time", "按时完成关键步骤"),
    ("effective_visit", "Effective visit", "有效拜访"),
    ("won_deal", "Deal won", "赢单"),
    ("payment_collected", "Payment collected", "收回回款"),
    ("issue_closed", "Customer issue closed", "客户问题闭环"),
    ("request_answered", "Cross-department request answered", "协同请求获答复"),
]:
    add(f"incentive.rule.{_k}", _en, _zh)
for _k, _en, _zh in [("result", "Result", "结果"), ("process", "Process", "过程"),
                     ("collaboration", "Collaboration", "协同")]:
    add(f"incentive.part.{_k}", _en, _zh)
for _k, _en, _zh in [("standard", "standard", "常规"), ("new_customer", "new customer", "新客户"),
                     ("strategic", "strategic industry", "战略行业")]:
    add(f"incentive.key.{_k}", _en, _zh)
for _k, _en, _zh in [("full", "full", "全额"), ("partial", "partial", "部分"), ("none", "none", "不发放")]:
    add(f"incentive.tier.{_k}", _en, _zh)

# ---- the page ----
add("incentive.title", "Incentives & points", "激励与积分")
add("incentive.caption", "Points are granted the moment a key action is recorded; the payout is result × process × "
    "collaboration, the process part scaled by the team's PSI tier.",
    "关键动作一完成即获积分；奖金 = 结果 × 过程 × 协同，过程部分按团队 PSI 档位发放。")
add("incentive.month", "Month", "月份")
add("incentive.model", "Incentive model v{version}", "激励模型 v{version}")
add("incentive.model_default", "Incentive model: the settings' defaults (no version applied yet)",
    "激励模型：系统默认值（尚未应用版本）")
add("incentive.model_line", "Weights: new customer {nc}, strategic industry {st}, collaboration {co} · ¥{ypp} per "
    "point · PSI ≥ {full} pays 100 %, ≥ {partial} pays {pp} % · circuit breaker above {thr} % complaints freezes "
    "{frz} %", "权重：新客户 {nc}、战略行业 {st}、协同 {co} · 每积分 ¥{ypp} · PSI ≥ {full} 全额发放，≥ {partial} 发放 "
    "{pp}% · 投诉率高于 {thr}% 熔断冻结 {frz}%")
add("incentive.total", "Payout this month", "本月奖金合计")
add("incentive.frozen_total", "Frozen by circuit breakers", "熔断冻结")
add("incentive.reps_paid", "Reps with points", "有积分的销售")
add("incentive.reps_title", "Payout per rep", "每位销售的奖金")
add("incentive.teams_title", "Payout per team", "每个团队的奖金")
add("incentive.no_points", "No points in this month yet.", "本月尚无积分。")
add("incentive.breaker_reason", "Circuit breaker: {team}'s complaint rate {rate} % is above {thr} % "
    "({c} of {a} active customers complained): {frz} % of its process pool (¥{frozen}) is frozen.",
    "熔断：{team} 投诉率 {rate}% 高于 {thr}%（{a} 个活跃客户中 {c} 个投诉），冻结过程奖金池的 {frz}%（¥{frozen}）。")
add("incentive.no_standing", "{team}: no PSI taken for this month yet, so its process part pays 0 until the nightly "
    "jobs run.", "{team}：本月 PSI 尚未计算，过程部分暂按 0 发放，待夜间任务运行后更新。")
add("incentive.mine_title", "How my points and payout are made", "我的积分与奖金怎么来")
add("incentive.statement_title", "How the points and payout are made", "积分与奖金构成")
add("incentive.pick_rep", "Rep", "销售")
add("incentive.lines", "Ledger lines", "积分台账明细")
add("incentive.f_result", "Result: {points} weighted points × ¥{ypp} = ¥{pay}", "结果：{points} 加权积分 × ¥{ypp} = ¥{pay}")
add("incentive.f_process", "Process: {points} points × ¥{ypp} × {share} % (PSI {psi}, tier {tier}) × (1 − {frz} % "
    "frozen) = ¥{pay}", "过程：{points} 积分 × ¥{ypp} × {share}%（PSI {psi}，档位 {tier}）× (1 − 冻结 {frz}%) = ¥{pay}")
add("incentive.f_collab", "Collaboration: {points} points × {w} weight … = {wp} weighted × ¥{ypp} = ¥{pay}",
    "协同：{points} 积分 × 权重 {w} = {wp} 加权积分 × ¥{ypp} = ¥{pay}")
add("incentive.f_total", "Total: ¥{total}", "合计：¥{total}")
add("incentive.no_psi", "no PSI", "无 PSI")
add("incentive.export", "Payroll file (XLSX)", "薪酬发放表（XLSX）")
add("incentive.export_prepare", "Prepare the payroll file", "生成薪酬发放表")
add("incentive.export_done", "The payroll file of {month} is ready ({n} reps); the export is in the audit log.",
    "{month} 的薪酬发放表已生成（{n} 人），导出已记入审计日志。")
add("incentive.export_download", "Download the payroll file", "下载薪酬发放表")
add("incentive.whatif_title", "What-if sandbox", "模拟沙盘")
add("incentive.whatif_help", "Change weights, tiers or the circuit breaker and see every payout before and after. "
    "Nothing is saved until you apply it.", "调整权重、档位或熔断阈值，对比调整前后的每个人与团队奖金。应用前不会保存任何内容。")
add("incentive.whatif_run", "Recompute", "重新计算")
add("incentive.whatif_total", "Total cost: ¥{before} → ¥{after} ({change})", "总成本：¥{before} → ¥{after}（{change}）")
add("incentive.whatif_not_saved", "This is a preview: nothing has been saved.", "这是预览：尚未保存任何内容。")
add("incentive.apply_note", "Why (note for the audit log)", "调整原因（记入审计日志）")
add("incentive.apply", "Apply as a new model version", "应用为新版本模型")
add("incentive.applied", "Incentive model v{version} applied.", "激励模型 v{version} 已应用。")
add("incentive.versions", "Model versions", "模型版本")
add("incentive.no_versions", "No version applied yet: payouts use the settings' defaults.",
    "尚未应用任何版本：奖金按系统默认值计算。")

# ---- columns ----
for _k, _en, _zh in [
    ("rep", "Rep", "销售"), ("team", "Team", "团队"), ("result_points", "Result points", "结果积分"),
    ("process_points", "Process points", "过程积分"), ("collaboration_points", "Collaboration points", "协同积分"),
    ("psi", "PSI", "PSI 指数"), ("tier", "Tier", "档位"), ("process_share", "Process paid %", "过程发放 %"),
    ("complaint_rate", "Complaint rate %", "投诉率 %"), ("breaker", "Circuit breaker", "熔断"),
    ("frozen_share", "Frozen %", "冻结 %"), ("result_pay", "Result ¥", "结果 ¥"), ("process_pay", "Process ¥", "过程 ¥"),
    ("collaboration_pay", "Collaboration ¥", "协同 ¥"), ("frozen", "Frozen ¥", "冻结 ¥"), ("total", "Payout ¥", "奖金 ¥"),
    ("reps", "Reps", "人数"), ("process_pool", "Process pool ¥", "过程奖金池 ¥"),
    ("complaint_customers", "Customers who complained", "投诉客户数"), ("active_customers", "Active customers", "活跃客户数"),
    ("before", "Before ¥", "调整前 ¥"), ("after", "After ¥", "调整后 ¥"), ("change", "Change ¥", "变化 ¥"),
    ("breaker_before", "Breaker before", "调整前熔断"), ("breaker_after", "Breaker after", "调整后熔断"),
    ("frozen_before", "Frozen before ¥", "调整前冻结 ¥"), ("frozen_after", "Frozen after ¥", "调整后冻结 ¥"),
    ("happened_at", "When", "时间"), ("rule", "Action", "动作"), ("part", "Part", "部分"),
    ("weight_key", "Kind", "类别"), ("points", "Points", "积分"), ("weight", "Weight", "权重"),
    ("weighted", "Weighted points", "加权积分"), ("reason", "Source record", "来源记录"),
    ("version", "Version", "版本"), ("created_at", "Applied at", "应用时间"), ("by", "By", "操作人"),
    ("note", "Note", "说明"),
]:
    add(f"incentive.col.{_k}", _en, _zh)

# ---- errors ----
add("incentive.err.month", "“{value}” is not a month: write YYYY-MM.", "“{value}”不是有效月份：请写成 YYYY-MM。")
add("incentive.err.number", "{key} must be a number.", "{key} 必须是数字。")
add("incentive.err.range", "{key} must be between {min} and {max}.", "{key} 必须在 {min} 到 {max} 之间。")
add("incentive.err.unknown_key", "“{key}” is not a part of the incentive model.", "“{key}”不是激励模型的参数。")
add("incentive.err.industries", "Strategic industries: a list of industry names.", "战略行业：请填写行业名称列表。")
add("incentive.err.tiers", "The partial tier's PSI may not be above the full tier's.", "部分发放的 PSI 线不能高于全额发放线。")
add("incentive.err.note", "The note is at most 200 characters.", "说明最多 200 个字符。")
add("incentive.err.no_change", "Nothing changed: the model is the same as the current version.",
    "没有任何改动：与当前版本相同。")
add("incentive.err.model_file", "The model file must hold a JSON object of model values.", "模型文件必须是包含模型参数的 JSON 对象。")
