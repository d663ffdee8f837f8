"""Texts of target health (目标健康, SPEC §8): the page, the lights' sentences, the
intervention alert, errors and settings."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- navigation and page ----
add("nav.target_health", "Target health", "目标健康")
add("health.title", "Target health", "目标健康")
add("health.caption",
    "How far each rep and team is from the month's signed-amount target, and whether it is still within reach. "
    "Targets come from the Targets page; actuals are counted as on the scorecard.",
    "各销售和团队距离本月签约额目标还有多远、目标是否仍可达成。目标来自目标页面，实际值按成绩单口径统计。")
add("health.month", "Month", "月份")
add("health.year", "Year", "年度")
add("health.kind", "Target", "目标类型")
add("health.kind.signed_amount", "Signed amount", "签约额")
add("health.kind.collections", "Collections", "回款额")
add("health.kind.effective_visits", "Effective visits", "有效拜访")
add("health.lights_title", "Health lights", "健康灯")
add("health.table_title", "Reps and teams", "销售与团队")
add("health.deviation_title", "Deviation rate by month", "月度偏差率")
add("health.deviation_caption", "Deviation rate = (actual − target) ÷ target. Below 0: behind the target.",
    "偏差率 =（实际 − 目标）÷ 目标。小于 0 表示落后于目标。")
add("health.no_rows", "No reps to show for this view.", "当前视图下没有可显示的销售。")
add("health.no_deviation", "No targets set in this year yet.", "本年度尚未设置目标。")
add("health.own_caption", "Your own figures.", "你本人的数据。")
add("health.chart.level", "Show", "显示")
add("health.level.rep", "Reps", "销售")
add("health.level.team", "Teams", "团队")
add("health.light.achievement", "Achievement", "达成率")
add("health.light.process", "Process (PSI)", "过程（PSI）")
add("health.light.resource", "Resource match", "资源匹配")
add("health.color.red", "red", "红")
add("health.color.yellow", "yellow", "黄")
add("health.color.green", "green", "绿")
add("health.color.grey", "no data", "无数据")
for _k, _en, _zh in [("level", "Level", "层级"), ("name", "Rep / team", "销售 / 团队"), ("team", "Team", "团队"),
                     ("month", "Month", "月份"), ("target", "Month target", "月目标"),
                     ("target_to_date", "Target to date", "截至今日目标"), ("actual", "Actual", "实际"),
                     ("achievement", "Achievement %", "达成率 %"), ("achievement_light", "Achievement", "达成灯"),
                     ("psi", "PSI", "PSI指数"), ("process_light", "Process", "过程灯"),
                     ("pipeline", "Weighted pipeline", "加权商机"), ("remaining", "Still to sign", "剩余目标"),
                     ("coverage", "Coverage %", "覆盖率 %"), ("resource_light", "Resource", "资源灯"),
                     ("reason", "Why", "说明"), ("deviation", "Deviation %", "偏差率 %")]:
    add(f"health.col.{_k}", _en, _zh)

# ---- the lights' sentences ----
add("health.s.no_target", "No target set for this month.", "本月未设置目标。")
add("health.s.achievement", "{actual} signed of {target} due by now ({pct}%).",
    "已签约{actual}，截至目前应完成{target}（{pct}%）。")
add("health.s.no_psi", "Not enough process data for a PSI.", "过程数据不足，无法计算PSI。")
add("health.s.psi", "PSI {psi} this month.", "本月PSI为{psi}。")
add("health.s.met", "Target met: nothing left to sign this month.", "目标已达成：本月无剩余目标。")
add("health.s.over", "The month is over; {remaining} was not reached.", "本月已结束，{remaining}未达成。")
add("health.s.coverage", "Weighted pipeline {pipeline} for {remaining} still to sign ({pct}%).",
    "加权商机{pipeline}，剩余目标{remaining}（覆盖{pct}%）。")
add("health.s.on_track", "On track.", "进展正常。")
add("health.what.short", "short of the target to date", "截至目前的目标缺口")
add("health.what.psi", "PSI points below {green}", "低于{green}的PSI差距分")
add("health.what.uncovered", "of target not covered by the pipeline", "未被商机覆盖的剩余目标")

# ---- the intervention alert ----
add("health.alert.week", "week of {week}: {pct}% ({actual} of {target})", "{week}当周：{pct}%（{actual}/{target}）")
add("health.alert.rep",
    "Target intervention: {who} ({team}) signed below {below}% of the target for {n} weeks in a row — {detail}.",
    "目标干预：{who}（{team}）连续{n}周签约达成率低于{below}%——{detail}。")
add("health.alert.team",
    "Target intervention: team {who} signed below {below}% of the target for {n} weeks in a row — {detail}.",
    "目标干预：团队{who}连续{n}周签约达成率低于{below}%——{detail}。")

# ---- errors ----
add("health.err.month", "Give the month as YYYY-MM, e.g. 2026-11.", "月份格式应为YYYY-MM，例如2026-11。")
add("health.err.month_future", "{month} has not begun yet.", "{month}尚未开始。")
add("health.err.year", "Give a year between 2000 and 2999.", "年份应在2000到2999之间。")
add("health.err.kind", "Choose signed amount, collections or effective visits.", "请选择签约额、回款额或有效拜访。")

# ---- settings ----
add("setting.health_achievement_red_below", "Target health: achievement red below (%)", "目标健康：达成率低于此值为红灯（%）")
add("setting.health_achievement_green_above", "Target health: achievement green above (%)",
    "目标健康：达成率高于此值为绿灯（%）")
add("setting.health_process_red_below", "Target health: PSI red below", "目标健康：PSI低于此值为红灯")
add("setting.health_process_green_above", "Target health: PSI green above", "目标健康：PSI高于此值为绿灯")
add("setting.health_coverage_red_below", "Target health: pipeline coverage red below (%)",
    "目标健康：商机覆盖率低于此值为红灯（%）")
add("setting.health_coverage_green_above", "Target health: pipeline coverage green above (%)",
    "目标健康：商机覆盖率高于此值为绿灯（%）")
add("setting.health_intervention_below", "Target intervention: weekly achievement below (%)",
    "目标干预：周达成率低于此值（%）")
add("setting.health_intervention_weeks", "Target intervention: weeks in a row", "目标干预：连续周数")
