"""Texts of the lead desk's routing, pool (公海) and lead board (SPEC §3): pages, alerts, to-dos, errors."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- navigation and settings ----
add("nav.lead_pool", "Lead pool", "线索公海")
add("nav.lead_board", "Lead board", "线索看板")
add("nav.routing", "Lead routing", "线索分配规则")
for _k, _en, _zh in [
    ("routing_fallback_team", "Fallback team for leads no rule matches (team id, 0: none)",
     "无规则匹配时的兜底团队（团队编号，0 表示不设）"),
    ("pool_no_follow_up_days", "Pool: back after days without follow-up (0: off)", "公海：多少天未跟进自动回收（0 为关闭）"),
    ("pool_not_converted_days", "Pool: back after days not converted (0: off)", "公海：领取后多少天未转化自动回收（0 为关闭）"),
    ("pool_claim_cap_per_day", "Pool: claims per rep per day, at most", "公海：每人每日最多认领条数"),
    ("pool_claim_cooldown_days", "Pool: days before a rep may re-claim a lead they lost", "公海：被收回的线索多少天内不可再次认领"),
    ("pool_warn_days", "Pool: show leads returning within (days)", "公海：提前多少天提示即将回收"),
    ("lead_check_sample", "Quick check: leads drawn", "线索快检：抽查条数"),
    ("lead_check_days", "Quick check: drawn from the last (days)", "线索快检：抽查范围（最近天数）"),
    ("lead_board_days", "Lead board: default period (days)", "线索看板：默认统计天数"),
    ("assignment_log_days", "Lead pool and board: assignment history of the last (days)", "线索公海与看板：分配记录的统计天数"),
]:
    add(f"setting.{_k}", _en, _zh)

# ---- words ----
for _k, _en, _zh in [("small", "Small", "小型"), ("medium", "Medium", "中型"), ("large", "Large", "大型")]:
    add(f"routing.size.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("routed", "Routed", "规则分配"), ("pooled", "Into the pool", "进入公海"), ("reassigned", "Auto-reassigned", "超时自动转派"),
    ("manual", "Reassigned by a lead", "主管改派"), ("returned", "Returned to the pool", "回收至公海"),
    ("claimed", "Claimed", "认领"),
]:
    add(f"routing.reason.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("unrouted", "No routing rule", "无匹配分配规则"), ("team_full", "Every rep at the daily cap", "团队成员均已达每日上限"),
    ("no_active_rep", "No active rep in the team", "团队无在岗销售"), ("no_follow_up", "No follow-up", "长期未跟进"),
    ("not_converted", "Not converted", "逾期未转化"), ("owner_inactive", "Owner deactivated", "负责人已停用"),
]:
    add(f"pool.reason.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("no_follow_up", "No follow-up", "未跟进"), ("not_converted", "Not converted", "未转化"),
    ("owner_inactive", "Owner deactivated", "负责人已停用"),
]:
    add(f"pool.rule.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("new", "New", "新线索"), ("contacted", "Contacted", "已联系"), ("qualified", "Qualified", "已确认需求"),
    ("converted", "Converted", "已转化"), ("lost", "Lost", "已流失"),
]:
    add(f"pool.status.{_k}", _en, _zh)
add("pool.kind.team", "Team pool", "团队公海")
add("pool.kind.company", "Company pool", "公司公海")
add("pool.kind.pool", "In the pool", "公海中")
add("pool.days", "{n} days in the pool", "在公海 {n} 天")
add("routing.any", "Any", "不限")
add("routing.yes", "Yes", "是")
add("routing.no", "No", "否")

# ---- alerts and to-dos (written in the recipient's language) ----
add("routing.alert.fallback", "No routing rule matches the lead “{company}”: it went to the fallback team {team}.",
    "线索“{company}”没有匹配的分配规则，已分到兜底团队{team}。")
add("routing.alert.no_team", "No routing rule matches the lead “{company}” and no fallback team is set: it waits in the company pool.",
    "线索“{company}”没有匹配的分配规则，也未设置兜底团队，已进入公司公海。")
add("routing.alert.team_full", "Every rep of {team} has {cap} new leads today: the lead “{company}” waits in the team pool.",
    "{team}所有销售今日已各分配 {cap} 条新线索，线索“{company}”已进入团队公海。")
add("routing.alert.no_active_rep", "{team} has no active rep: the lead “{company}” waits in the team pool.",
    "{team}没有在岗销售，线索“{company}”已进入团队公海。")
add("routing.todo.contact", "Contact “{company}” now: assigned over {hours} h ago and not contacted yet",
    "请立即联系“{company}”：分配已超过 {hours} 小时仍未联系")
add("routing.alert.escalated", "{rep} has not contacted the lead “{company}” {hours} h after it was assigned.",
    "{rep}在线索“{company}”分配 {hours} 小时后仍未联系。")
add("routing.todo.reassigned", "Contact “{company}” within {hours} h: reassigned to you from {old}",
    "请在 {hours} 小时内联系“{company}”：该线索由{old}转派给您")
add("routing.alert.reassigned_to_you", "The lead “{company}” was reassigned to you: {old} did not contact it within {hours} h.",
    "线索“{company}”已转派给您：{old}在 {hours} 小时内未联系。")
add("routing.alert.reassigned_away", "The lead “{company}” went to {new}: it was not contacted within {hours} h.",
    "线索“{company}”因 {hours} 小时内未联系，已转派给{new}。")
add("routing.alert.reassigned", "The lead “{company}” moved from {old} to {new}: not contacted within {hours} h.",
    "线索“{company}”因 {hours} 小时内未联系，已从{old}自动转派给{new}。")
add("routing.alert.manual_to_you", "{by} gave you the lead “{company}” (was {old}'s).",
    "{by}将线索“{company}”改派给您（原负责人：{old}）。")
add("routing.alert.manual_away", "{by} gave your lead “{company}” to {new}.", "{by}已将您的线索“{company}”改派给{new}。")
add("pool.alert.returned", "{n} of your leads went back to the pool: {companies}.", "您有 {n} 条线索已被回收至公海：{companies}。")
add("pool.alert.returned_inactive", "{n} leads of {rep} (deactivated) went back to the team pool: {companies}.",
    "已停用账号{rep}的 {n} 条线索已回收至团队公海：{companies}。")

# ---- errors ----
add("routing.err.no_lead", "Choose an open lead of your teams.", "请选择您团队中未关闭的线索。")
add("routing.err.rep", "Choose an active rep of your teams.", "请选择您团队中的在岗销售。")
add("routing.err.same_rep", "The lead already belongs to this rep.", "该线索已经属于这位销售。")
add("routing.err.region", "Choose a region from the list.", "请从列表中选择大区。")
add("routing.err.industry", "Enter an industry as text.", "请输入行业名称。")
add("routing.err.too_long", "At most {n} characters.", "最多 {n} 个字符。")
add("routing.err.size", "Choose small, medium or large.", "请选择小型、中型或大型。")
add("routing.err.team", "Choose a team from the list.", "请从列表中选择团队。")
add("routing.err.duplicate", "Rule {position} already has these criteria: this one would never match.",
    "第 {position} 条规则的条件与此相同，这条规则永远不会被匹配。")
add("routing.err.no_rule", "This rule no longer exists.", "这条规则已不存在。")
add("routing.err.active", "Tick the box or leave it empty.", "请勾选或不勾选。")
add("routing.err.conflict", "Someone changed this rule after you opened it. Nothing was saved: look at it again, then make your change.",
    "在您打开之后，有人修改了这条规则。您的修改没有保存：请重新查看后再修改。")
add("routing.err.step", "Move by a whole number of places.", "请按整数位置移动。")
add("pool.err.no_team", "Only a rep of a team can claim leads.", "只有所属团队的销售才能认领线索。")
add("pool.err.gone", "This lead is no longer in your pool.", "这条线索已不在您可认领的公海中。")
add("pool.err.taken", "Someone else claimed this lead a moment ago.", "这条线索刚刚已被其他人认领。")
add("pool.err.cap", "You have claimed {cap} leads today, the daily limit. Try again tomorrow.",
    "您今天已认领 {cap} 条线索，达到每日上限，请明天再来。")
add("pool.err.cooldown", "You lost this lead recently: you can claim it again after {until} ({days}-day cooldown).",
    "这条线索刚从您名下收回，冷却期 {days} 天，{until} 之后才能再次认领。")
add("pool.err.whole", "Enter a whole number, or leave it empty for the company default.", "请输入整数，或留空使用公司默认值。")
add("pool.err.range", "From {low} to {high}.", "请输入 {low} 到 {high} 之间的数。")
add("pool.err.pick", "Choose a lead to claim.", "请选择要认领的线索。")

# ---- admin page: routing rules ----
add("routing.title", "Lead routing", "线索分配规则")
add("routing.caption",
    "New leads go to the team of the first matching rule, then in turn to its active reps — at most {cap} a day each. "
    "A lead not contacted within {hours} h is escalated; teams with auto-reassign pass it to the next rep.",
    "新线索按第一条匹配的规则分到团队，再在团队在岗销售之间轮流分配，每人每天最多 {cap} 条。"
    "分配后 {hours} 小时未联系即升级提醒；开启自动转派的团队会转给下一位销售。")
add("routing.rules", "Rules, tried from the top ({n})", "分配规则（自上而下匹配，共 {n} 条）")
add("routing.no_rules", "No rules yet: every new lead goes to the fallback team. Add the first rule below.",
    "还没有分配规则：所有新线索都会进入兜底团队。请在下方添加第一条规则。")
add("routing.add", "Add a rule", "新增规则")
add("routing.add_submit", "Add the rule", "添加规则")
add("routing.added", "Rule added at the end of the list.", "规则已添加到列表末尾。")
add("routing.edit", "Edit, move or delete a rule", "修改、调整顺序或删除规则")
add("routing.pick", "Rule", "规则")
add("routing.rule_label", "{position}. {region} · {industry} · {size} → {team}", "第 {position} 条：{region} · {industry} · {size} → {team}")
add("routing.up", "Move up", "上移")
add("routing.down", "Move down", "下移")
add("routing.delete", "Delete", "删除")
add("routing.delete_confirm", "Delete the rule “{rule}”? Leads it would route then go to the next matching rule.",
    "确定删除规则“{rule}”吗？删除后，这类线索将按下一条匹配的规则分配。")
add("routing.delete_yes", "Yes, delete it", "确认删除")
add("routing.moved", "Order changed.", "顺序已调整。")
add("routing.deleted", "Rule deleted.", "规则已删除。")
add("routing.saved", "Saved.", "已保存。")
add("routing.industry_help", "Pick one of the industries in use, or type a new one. Empty: any industry.",
    "可选择已有行业，也可输入新的行业；留空表示不限行业。")
add("routing.fallback", "Fallback team", "兜底团队")
add("routing.fallback_help", "Leads no rule matches go here, and its lead is alerted. Without a fallback team they wait in the company pool and the admins are alerted.",
    "没有匹配规则的线索分到兜底团队，并提醒该团队主管；不设兜底团队时，线索进入公司公海并提醒系统管理员。")
add("routing.fallback_team", "Team", "团队")
add("routing.no_fallback", "None: the company pool", "不设（进入公司公海）")
add("routing.teams", "Teams: auto-reassign and pool rules", "各团队：自动转派与公海规则")
add("routing.teams_help",
    "Company defaults: back to the pool after {no_follow_up} days without follow-up or {not_converted} days not converted; "
    "{cap} claims per rep a day; {cooldown} days before a rep may re-claim a lead they lost. Change them under Rules & thresholds.",
    "公司默认：{no_follow_up} 天未跟进或 {not_converted} 天未转化即回收至公海；每人每天最多认领 {cap} 条；"
    "被收回的线索 {cooldown} 天内不可再次认领。可在“规则与阈值”中修改默认值。")
add("routing.own_value", "★ the team's own value; the others are the company default.", "★ 表示团队单独设置的值，其余为公司默认值。")
add("routing.pick_team", "Team to change", "要修改的团队")
add("routing.default_value", "Company default: {value}", "公司默认：{value}")
add("routing.auto_help", "A lead not contacted {hours} h after assignment moves to the next rep of the rotation.",
    "分配后 {hours} 小时未联系的线索，自动转给轮询中的下一位销售。")
for _k, _en, _zh in [
    ("position", "Order", "顺序"), ("region", "Region", "大区"), ("industry", "Industry", "行业"),
    ("size", "Customer size", "客户规模"), ("team", "Team", "团队"), ("active", "Active", "启用"),
    ("auto_reassign", "Auto-reassign", "自动转派"), ("no_follow_up_days", "No follow-up (days)", "未跟进回收（天）"),
    ("not_converted_days", "Not converted (days)", "未转化回收（天）"), ("claim_cap_per_day", "Claims a day", "每日认领上限"),
    ("claim_cooldown_days", "Re-claim cooldown (days)", "再认领冷却期（天）"),
]:
    add(f"routing.col.{_k}", _en, _zh)

# ---- pool page ----
add("pool.title", "Lead pool", "线索公海")
add("pool.caption.rep", "Leads nobody owns, in your team's pool and the company pool: claim the ones you will work today.",
    "无人跟进的线索（团队公海与公司公海），认领今天就要跟进的线索。")
add("pool.caption.board", "How many leads sit unowned in each pool, for how long, and what comes back and goes out.",
    "各公海中无人跟进的线索数量、滞留时长，以及近期回收与认领情况。")
add("pool.metric.claimable", "Leads you may claim", "可认领线索")
add("pool.metric.claimed_today", "Claimed today", "今日已认领")
add("pool.metric.left_today", "Claims left today", "今日还可认领")
add("pool.rep_help", "At most {cap} claims a day. A lead taken from you cannot be re-claimed for {cooldown} days.",
    "每天最多认领 {cap} 条；从您名下收回的线索 {cooldown} 天内不能再次认领。")
add("pool.claimable", "In your pools ({n})", "可认领的线索（{n}）")
add("pool.empty_rep", "The pool is empty. New leads come to you through routing.", "公海暂无线索，新线索会按规则分配给您。")
add("pool.pick", "Lead to claim", "选择要认领的线索")
add("pool.pick_placeholder", "Choose a lead", "请选择线索")
add("pool.claim", "Claim", "认领")
add("pool.claimed", "“{company}” is yours now: contact it today.", "已认领“{company}”，请今天内联系。")
add("pool.my_returning", "My leads returning to the pool within {days} days ({n})", "{days} 天内将被回收的我的线索（{n}）")
add("pool.team_returning", "Leads returning to the pool within {days} days ({n})", "{days} 天内将被回收的线索（{n}）")
add("pool.countdown_help", "A lead goes back after {no_follow_up} days without follow-up or {not_converted} days not converted (company defaults; a team may differ).",
    "线索 {no_follow_up} 天未跟进或 {not_converted} 天未转化即回收至公海（公司默认值，团队可单独设置）。")
add("pool.none_returning", "Nothing is about to return.", "暂无即将被回收的线索。")
add("pool.metric.size", "Leads in the pool", "公海线索数")
add("pool.metric.mean_age", "Mean days in the pool", "平均滞留天数")
add("pool.metric.over_30", "Over 30 days", "滞留超过 30 天")
add("pool.metric.moves", "Returned / claimed, {days} days", "近 {days} 天回收 / 认领")
add("pool.metric.moves_help", "Leads that went back to the pool, and leads claimed from it.", "被回收至公海的线索数，以及从公海认领的线索数。")
add("pool.by_team", "Size and age by team", "各团队公海规模与时长")
add("pool.filter_team", "Team", "团队")
add("pool.leads", "Leads in the pool ({n}, longest waiting first)", "公海线索（{n}，滞留最久的在前）")
add("pool.empty", "No lead is waiting in the pool.", "公海中暂无线索。")
add("pool.moves", "Returns and claims, last {days} days", "近 {days} 天回收与认领记录")
for _k, _en, _zh in [
    ("id", "No.", "编号"), ("company", "Company", "公司"), ("grade", "Grade", "等级"), ("industry", "Industry", "行业"),
    ("size", "Size", "规模"), ("region", "Region", "大区"), ("source_channel", "Source", "来源渠道"),
    ("pool", "Pool", "公海"), ("pool_reason", "Why in the pool", "进入公海原因"), ("pooled_at", "In the pool since", "进入公海时间"),
    ("days_in_pool", "Days in the pool", "滞留天数"), ("cooldown_until", "You may re-claim from", "可再次认领时间"),
    ("status", "Status", "状态"), ("days_left", "Days left", "剩余天数"), ("returns_at", "Returns at", "预计回收时间"),
    ("rule", "Rule", "回收规则"), ("last_touch_at", "Last follow-up", "最近跟进时间"), ("owner", "Owner", "负责人"),
    ("team", "Team", "团队"), ("leads", "Leads", "线索数"), ("mean_days", "Mean days", "平均天数"),
    ("max_days", "Longest (days)", "最长天数"), ("days_0_7", "Up to 7 days", "7 天内"), ("days_8_30", "8–30 days", "8–30 天"),
    ("days_over_30", "Over 30 days", "30 天以上"), ("returned", "Returned ({days} days)", "近 {days} 天回收"),
    ("claimed", "Claimed ({days} days)", "近 {days} 天认领"), ("last_owner", "Last owner", "原负责人"), ("at", "When", "时间"),
    ("lead_id", "Lead", "线索编号"), ("reason", "What happened", "类型"), ("from_rep", "From", "原负责人"),
    ("to_rep", "To", "新负责人"), ("by", "By", "操作人"),
]:
    add(f"pool.col.{_k}", _en, _zh)

# ---- lead board ----
add("board.title", "Lead board", "线索看板")
add("board.caption", "Where leads come from and where they stand, which ones are stuck, and whether the records are complete.",
    "线索从哪里来、进展到哪一步、哪些停滞不前，以及线索信息是否完整。")
add("board.counts", "Leads created {start} – {end}: {n}", "{start} 至 {end} 新增线索：{n} 条")
add("board.unknown", "(not given)", "（未填写）")
add("board.stuck", "Stuck leads: no progress for more than {days} days ({n})", "停滞线索：超过 {days} 天无进展（{n}）")
add("board.none_stuck", "No lead is stuck.", "没有停滞的线索。")
add("board.reassign", "Give a stuck lead to another rep", "将停滞线索改派给其他销售")
add("board.to_rep", "To rep", "改派给")
add("board.reassign_submit", "Reassign", "改派")
add("board.reassigned", "{company} now belongs to {rep}.", "{company}已改派给{rep}。")
add("board.check", "Lead health quick check", "线索健康快检")
add("board.check_help", "{n} leads drawn at random from the {total} created {start} – {end}; the same draw all day.",
    "从 {start} 至 {end} 新增的 {total} 条线索中随机抽查 {n} 条，当天内抽查结果保持不变。")
add("board.check_none", "No lead was created in the window: nothing to check.", "该时间段内没有新增线索，无需抽查。")
add("board.check_share", "Complete (source, grade, next action and its time)", "信息完整率（来源、等级、下一步及时间）")
add("board.check_counts", "{complete} of {checked} drawn leads are complete.", "抽查的 {checked} 条中有 {complete} 条信息完整。")
add("board.draw_again", "Draw again", "重新抽查")
add("board.faulty", "**{company}** ({owner}) lacks: {missing}", "**{company}**（{owner}）缺少：{missing}")
add("board.history", "Routing and reassignments, last {days} days", "近 {days} 天分配与改派记录")
for _k, _en, _zh in [
    ("source_channel", "Source", "来源渠道"), ("next_action", "Next action", "下一步行动"),
    ("next_action_at", "Next action time", "下一步时间"), ("grade", "Grade", "等级"),
]:
    add(f"board.check.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("id", "No.", "编号"), ("company", "Company", "公司"), ("grade", "Grade", "等级"), ("status", "Status", "状态"),
    ("owner", "Owner", "负责人"), ("team", "Team", "团队"), ("days_without_progress", "Days without progress", "无进展天数"),
    ("last_progress_at", "Last progress", "最近进展时间"), ("next_action", "Next action", "下一步行动"),
    ("next_action_at", "Next action time", "下一步时间"), ("source_channel", "Source", "来源渠道"),
    ("industry", "Industry", "行业"), ("total", "Total", "合计"), ("missing", "Missing", "缺失项"),
]:
    add(f"board.col.{_k}", _en, _zh)
