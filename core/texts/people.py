"""Texts of SPEC §8 People: capability radar, coaching records, knowledge base."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- navigation and settings ----
add("nav.coaching", "Coaching", "辅导记录")
add("nav.capability", "Capability", "能力雷达")
add("nav.knowledge", "Knowledge base", "知识库")
add("setting.coaching_coverage_days", "Coaching coverage window (days)", "辅导覆盖率统计窗口（天）")
add("setting.coaching_todo_days", "Coaching to-do due after (days)", "辅导待办默认期限（天）")
add("setting.coaching_rating_days", "Coaching ratings counted over (days)", "辅导评分统计窗口（天）")
add("setting.capability_team_min_reps", "Reps assessed before a rep sees the team average",
    "团队均值对销售可见所需的最少已评估人数")

# ---- capability dimensions and scenarios ----
add("dim.opportunity_discovery", "Opportunity discovery", "商机挖掘")
add("dim.solution_presentation", "Solution presentation", "方案呈现")
add("dim.negotiation_closing", "Negotiation and closing", "谈判成交")
add("dim.relationship_care", "Relationship care", "客情维护")
for _k, _en, _zh in [
    ("first_visit", "First visit", "首次拜访"), ("needs_discovery", "Needs discovery", "需求挖掘"),
    ("demo", "Product demo", "产品演示"), ("proposal", "Proposal", "方案提交"),
    ("price_objection", "Price objection", "价格异议"), ("competitor", "Competitor", "竞品应对"),
    ("closing", "Closing", "促成签约"), ("collection", "Collection", "回款催收"),
    ("relationship", "Relationship", "客户关系维护"), ("complaint", "Complaint", "投诉处理"),
]:
    add(f"scenario.{_k}", _en, _zh)

# ---- errors ----
add("people.err.rep_not_yours", "Choose one of the active reps of your own team.", "请选择您本团队的在岗销售。")
add("people.err.dimension", "Choose a capability dimension.", "请选择能力维度。")
add("people.err.yes_no", "Answer yes or no.", "请选择是或否。")
add("people.err.text", "Enter text.", "请输入文字。")
add("people.err.too_long", "At most {n} characters.", "最多 {n} 个字符。")
add("people.err.score", "A whole score from 1 to 5.", "请打 1 到 5 的整数分。")
add("people.err.date", "Enter a date.", "请输入日期。")
add("people.err.date_future", "A coaching cannot be in the future.", "辅导日期不能晚于今天。")
add("people.err.date_old", "Record a coaching within {n} days of it.", "只能补录 {n} 天内的辅导。")
add("people.err.due", "Due from today up to {n} days ahead.", "截止日期须在今天到 {n} 天之内。")
add("people.err.no_record", "No such coaching record of yours.", "没有找到您的这条辅导记录。")
add("people.err.no_scores", "Score at least one dimension.", "请至少为一个维度打分。")
add("people.err.scenario_tag", "Choose a scenario from the list.", "请从列表中选择场景。")
add("people.err.no_article", "No such article.", "没有这篇文章。")
add("people.err.kb_conflict",
    "{who} saved this article at {at}, after you opened it. Nothing of yours was saved: reload the article, "
    "then make your change again.",
    "{who} 在 {at} 保存了这篇文章（在您打开之后）。您的修改没有保存：请重新加载文章后再修改。")
add("people.err.kb_conflict_unknown",
    "Someone saved this article while you were editing it. Nothing of yours was saved: reload the article, "
    "then make your change again.",
    "有人在您编辑期间保存了这篇文章。您的修改没有保存：请重新加载文章后再修改。")

# ---- shared words and columns ----
add("people.yes", "Yes", "是")
add("people.no", "No", "否")
add("people.any", "Any", "不限")
add("people.rep", "Rep", "销售")
for _k, _en, _zh in [
    ("coached_on", "Date", "辅导日期"), ("rep", "Rep", "销售"), ("lead", "Coach", "辅导人"), ("team", "Team", "团队"),
    ("dimension", "Dimension", "能力维度"), ("scenario_practiced", "Practiced", "场景演练"),
    ("summary", "Summary", "辅导小结"), ("next_points", "Next points", "改进要点"),
    ("rep_rating", "Rep's rating", "销售评分"), ("rated_at", "Rated", "评分时间"),
    ("reps", "Active reps", "在岗销售"), ("coached", "Coached", "已辅导"), ("coverage", "Coverage", "覆盖率"),
    ("ratings", "Ratings", "评分数"), ("mean_rating", "Mean rating", "平均评分"),
    ("assessed_at", "Assessed", "评估时间"), ("score", "Score", "得分"), ("assessed_by", "By", "评估人"),
    ("note", "Note", "备注"), ("team_average", "Team average", "团队均值"),
]:
    add(f"people.col.{_k}", _en, _zh)

# ---- coaching page ----
add("coaching.title", "Coaching", "辅导记录")
add("coaching.caption.lead", "Record a coaching in under a minute: the next points become the rep's to-do.",
    "一分钟记录一次辅导：改进要点会自动成为销售的待办。")
add("coaching.caption.rep", "Your coaching sessions. Rate each one: your rating goes to the director; your lead "
    "does not see single ratings.", "您接受的辅导。请为每次辅导评分：评分提交给销售总监，片区经理看不到单条评分。")
add("coaching.caption.director", "How well the leads coach: coverage of each team and the reps' ratings.",
    "各团队辅导情况：辅导覆盖率与销售对辅导的评分。")
add("coaching.caption.admin", "How well the leads coach: coverage of each team and the reps' ratings.",
    "各团队辅导情况：辅导覆盖率与销售对辅导的评分。")
add("coaching.record", "Record a coaching", "记录辅导")
add("coaching.f.rep_id", "Rep", "销售")
add("coaching.f.dimension", "Dimension", "能力维度")
add("coaching.f.scenario_practiced", "Scenario practiced", "已进行场景演练")
add("coaching.f.summary", "Short summary", "辅导小结")
add("coaching.f.next_points", "Next points for the rep (becomes their to-do)", "给销售的改进要点（将生成待办）")
add("coaching.f.more", "Date and due date (optional)", "日期与截止日期（选填）")
add("coaching.f.coached_on", "Coaching date", "辅导日期")
add("coaching.f.due_on", "To-do due", "待办截止日期")
add("coaching.submit", "Save coaching", "保存辅导记录")
add("coaching.saved", "Saved. {rep} has a new to-do due {due}.", "已保存。{rep} 收到一条新待办，截止 {due}。")
add("coaching.no_reps", "Your team has no active reps to coach.", "您的团队暂无在岗销售。")
add("coaching.records", "Coaching records ({n})", "辅导记录（{n}）")
add("coaching.my_records", "My coaching ({n})", "我的辅导（{n}）")
add("coaching.none", "No coaching recorded yet.", "暂无辅导记录。")
add("coaching.coverage", "Coverage in the last {days} days", "近 {days} 天辅导覆盖率")
add("coaching.coverage_help",
    "Share of each team's active reps coached in the last {days} days. Ratings: the reps' 1–5 ratings of "
    "their team lead's coaching in the last {rating_days} days.",
    "各团队在岗销售中近 {days} 天接受过辅导的比例。评分：近 {rating_days} 天销售对本团队经理辅导的 1–5 分评价。")
add("coaching.coverage_help_lead", "Share of each of your teams' active reps coached in the last {days} days.",
    "您各团队在岗销售中近 {days} 天接受过辅导的比例。")
add("coaching.rate", "Rate a coaching", "评价辅导")
add("coaching.rate_pick", "Coaching", "辅导")
add("coaching.rate_value", "Your rating (1 = not useful, 5 = very useful)", "您的评分（1 = 没帮助，5 = 很有帮助）")
add("coaching.rate_submit", "Save rating", "提交评分")
add("coaching.rated", "Thank you: rated {rating}.", "感谢评价：{rating} 分。")
add("coaching.rating_field", "Rating", "评分")

# ---- capability page ----
add("capability.title", "Capability", "能力雷达")
add("capability.caption", "Scores 1–5 given by the team lead, against the team average.",
    "片区经理给出的 1–5 分能力评分，与团队均值对比。")
add("capability.no_reps", "No reps to show.", "暂无可查看的销售。")
add("capability.bad_rep", "That link names a rep you cannot see; showing {name}.",
    "链接中的销售不在您的权限范围内，已显示 {name}。")
add("capability.not_assessed", "{name} has not been assessed yet.", "{name} 尚未进行能力评估。")
add("capability.unscored", "Not scored yet: {dims}.", "尚未评分：{dims}。")
add("capability.team_hidden", "The team average shows once {n} reps of the team are assessed.",
    "团队中至少 {n} 名销售完成评估后才显示团队均值。")
add("capability.weakest", "Weakest dimension: {dim} ({score}/5). Read up on it:",
    "最弱维度：{dim}（{score}/5）。推荐阅读：")
add("capability.no_articles", "No articles on this dimension yet.", "该维度暂无知识文章。")
add("capability.all_articles", "All articles on {dim}", "查看全部“{dim}”文章")
add("capability.history", "History", "评估历史")
add("capability.no_history", "No assessments yet.", "暂无评估记录。")
add("capability.assess", "Assess {name}", "评估 {name}")
add("capability.assess_note", "Note (optional)", "备注（选填）")
add("capability.assess_submit", "Save scores", "保存评分")
add("capability.assessed", "Scores saved for {name}.", "已保存 {name} 的评分。")
add("capability.score_axis", "Score (1–5)", "得分（1–5）")
add("capability.date_axis", "Date", "日期")
add("capability.team_average", "Team average", "团队均值")

# ---- knowledge page ----
add("knowledge.title", "Knowledge base", "知识库")
add("knowledge.caption", "Proven answers to the questions customers ask: the question, the scenario, a script "
    "and the evidence behind it.", "客户常见问题的成熟应对：问题、场景、话术及其依据。")
add("knowledge.search", "Search", "搜索")
add("knowledge.search_hint", "Words from the title, question, scenario or script, e.g. 价格异议",
    "标题、问题、场景或话术中的词，例如：价格异议")
add("knowledge.dimension", "Capability dimension", "能力维度")
add("knowledge.language", "Language", "语言")
add("knowledge.scenario", "Scenario", "场景")
add("knowledge.count", "Articles found: {n}.", "共找到 {n} 篇文章。")
add("knowledge.none", "No article matches. Try fewer or shorter words.", "没有匹配的文章，请尝试更少或更短的关键词。")
add("knowledge.part.question", "Question", "问题")
add("knowledge.part.scenario", "Scenario", "场景")
add("knowledge.part.script", "Script", "话术")
add("knowledge.part.evidence", "Evidence", "依据与案例")
add("knowledge.updated", "Updated {at} by {who} · version {version}", "{who} 更新于 {at} · 第 {version} 版")
add("knowledge.updated_anon", "Updated {at} · version {version}", "更新于 {at} · 第 {version} 版")
add("knowledge.customer_type", "Customer type: {value}", "客户类型：{value}")
add("knowledge.new", "New article", "新建文章")
add("knowledge.edit", "Edit an article", "编辑文章")
add("knowledge.pick", "Article", "文章")
add("knowledge.f.title", "Title", "标题")
add("knowledge.f.question", "Question", "问题")
add("knowledge.f.scenario", "Scenario", "场景")
add("knowledge.f.script", "Script", "话术")
add("knowledge.f.evidence", "Evidence (optional)", "依据与案例（选填）")
add("knowledge.f.customer_type", "Customer type (optional)", "客户类型（选填）")
add("knowledge.f.scenario_tag", "Scenario tag", "场景标签")
add("knowledge.f.dimension", "Capability dimension", "能力维度")
add("knowledge.f.language", "Language", "语言")
add("knowledge.f.article_id", "Article", "文章")
add("knowledge.create", "Create article", "创建文章")
add("knowledge.save", "Save changes", "保存修改")
add("knowledge.created", "Created “{title}”.", "已创建“{title}”。")
add("knowledge.saved", "Saved: version {version}.", "已保存：第 {version} 版。")
add("knowledge.reload", "Reload the latest version", "重新加载最新版本")
