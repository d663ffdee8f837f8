"""A starting knowledge base (SPEC §8): eight articles in Chinese and the same eight in English, two
per capability dimension, each with its question, scenario, script and evidence.

``seed_articles(session)`` adds those not there yet (matched by title and language), so the demo
seed and a live database can both call it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.base.clock import now as clock_now
from core.base.models import KnowledgeArticle

# (dimension, scenario_tag, {language: (title, customer_type, question, scenario, script, evidence)})
ARTICLES: list[tuple[str, str, dict[str, tuple[str, str, str, str, str, str]]]] = [
    ("opportunity_discovery", "needs_discovery", {
        "zh": ("三个问题挖出客户的真实痛点", "制造业工厂",
               "客户说“目前没什么需求”，怎样继续挖掘？",
               "首次拜访工厂设备科长，对方礼貌但冷淡，只愿意聊十分钟。",
               "“王科长，同类工厂今年都在为非计划停机头疼，咱们厂去年大概停了多少小时？”"
               "（等对方回答）“这些停机主要卡在哪个环节？”“如果这个数字能降一半，对您今年的考核意味着什么？”"
               "——先问现状，再问影响，最后问期望，不要急着介绍产品。",
               "2025 年华东大区试点：使用“现状—影响—期望”三问法的拜访，需求确认率从 31% 提高到 52%。"),
        "en": ("Three questions that uncover the real pain", "Manufacturing plant",
               "The customer says “we have no needs right now”. How do I keep the conversation going?",
               "First visit to a plant's maintenance manager: polite but cool, willing to talk for ten minutes.",
               "“Many plants like yours lost a lot of hours to unplanned downtime this year — how many did you "
               "lose last year?” (let them answer) “Where does it usually get stuck?” “If that number were halved, "
               "what would it mean for your targets this year?” Ask about the situation, then the impact, then "
               "the goal — do not pitch the product yet.",
               "East region pilot 2025: visits using situation–impact–goal questions confirmed needs in 52 % of "
               "cases instead of 31 %."),
    }),
    ("opportunity_discovery", "first_visit", {
        "zh": ("老客户转介绍的开口方式", "",
               "拿到老客户的转介绍后，第一通电话怎么说才不被挂断？",
               "老客户刘总把我们推荐给同行的采购经理，对方还不了解我们。",
               "“张经理您好，我是 XX 公司的小李，刘总上周提到您也在为库存周转发愁，特意让我来电。"
               "刘总那边用了我们的方案后周转天数从 45 天降到 30 天，想约您 20 分钟，看看是否对您也有参考价值，"
               "周三下午还是周四上午方便？”——先说推荐人，再说对方的问题，最后给两个时间选项。",
               "转介绍线索的成单率是公开渠道线索的 3 倍；首通电话给出两个时间选项的，约访成功率约 60%。"),
        "en": ("Opening a call from a referral", "",
               "I got a referral from a happy customer. What do I say in the first call so they do not hang up?",
               "Our customer Mr Liu recommended us to a purchasing manager in his industry who does not know us yet.",
               "“Hello Ms Zhang, this is Li from XX. Mr Liu mentioned last week that inventory turnover is a worry "
               "for you too and asked me to call. With our solution his days of inventory fell from 45 to 30. Could "
               "we take 20 minutes to see whether it is useful for you — Wednesday afternoon or Thursday morning?” "
               "Name the referrer, then their problem, then offer two times.",
               "Referred leads close three times as often as leads from public channels; first calls that offer "
               "two time slots book a meeting about 60 % of the time."),
    }),
    ("solution_presentation", "demo", {
        "zh": ("演示只讲客户关心的三个场景", "三甲医院",
               "产品功能很多，演示时客户听着听着就走神了，怎么办？",
               "给医院设备科和临床科室主任做产品演示，时间 40 分钟，参会人关心点各不相同。",
               "开场先确认：“上次您提到的三个问题是：夜间急诊出片慢、科室之间数据不通、维修响应慢，"
               "今天就围绕这三点演示，其他功能会后再看，可以吗？”每讲完一个场景，请对方用自己的话复述收益，"
               "再进入下一个。",
               "2025 年演示复盘：只演示 3 个以内场景的会议，进入方案阶段的比例为 64%，全功能演示为 38%。"),
        "en": ("Demo only the three scenarios the customer cares about", "Top-tier hospital",
               "The product does a lot; during demos customers drift off. What should I do?",
               "A 40-minute demo for a hospital's equipment department and clinical heads, each with other concerns.",
               "Open by confirming: “Last time you named three problems: slow images for night emergencies, data "
               "that does not flow between departments, and slow repairs. Today we show just those three; the rest "
               "after the meeting — all right?” After each scenario ask them to say the benefit in their own words "
               "before you move on.",
               "2025 demo review: meetings that showed at most 3 scenarios moved to the proposal stage 64 % of the "
               "time, full-feature demos 38 %."),
    }),
    ("solution_presentation", "competitor", {
        "zh": ("客户拿竞品参数对比时如何回应", "",
               "客户拿出竞品的参数表，说对方指标更高，怎么回应？",
               "方案汇报会上，客户技术负责人逐项对比参数，现场气氛紧张。",
               "“谢谢您做了这么细的对比。参数我们会后逐项给您书面回复。我想先请教：这几项指标里，"
               "哪两项对您的产线最关键？”然后只围绕这两项，用同类客户的实际运行数据说明，而不是逐条争论参数。"
               "不贬低竞品，只讲与客户目标相关的差异。",
               "竞品对比场景复盘：聚焦客户最关键两项指标并提供同类案例的，赢单率 47%；逐条辩论参数的，赢单率 21%。"),
        "en": ("When the customer compares specs with a competitor", "",
               "The customer shows a competitor's spec sheet with better numbers. How do I answer?",
               "In a proposal meeting the customer's technical head compares specs line by line; the mood is tense.",
               "“Thank you for such a careful comparison; we will answer every line in writing after the meeting. "
               "May I ask first: which two of these matter most for your production line?” Then talk only about "
               "those two, with real operating data from similar customers — do not argue line by line, and never "
               "run the competitor down.",
               "Competitive deals review: focusing on the customer's two key criteria with a reference case won "
               "47 % of deals; arguing specs line by line won 21 %."),
    }),
    ("negotiation_closing", "price_objection", {
        "zh": ("处理价格异议：先拆价值，再谈价格", "经销商",
               "客户说“你们太贵了，别家便宜 15%”，怎么办？",
               "谈判阶段，经销商老板拿着另一家的报价压价，要求我们跟价。",
               "遇到价格异议，先不要降价：“您说的便宜 15%，是同样的配置和服务吗？我们一起把两份方案逐项对一下。”"
               "对完后算总拥有成本：“按五年算，我们的能耗和维保每年能省 4 万，五年 20 万，比差价多出一倍。”"
               "如果仍需让步，只用交换的方式：“如果付款改为预付 50%，我可以申请 3% 的折扣。”",
               "2025 年谈判复盘：先拆价值再让步的订单，平均折扣 3.2%，直接跟价的订单平均折扣 9.8%，赢单率相近。"),
        "en": ("Price objections: unpack the value before the price", "Distributor",
               "The customer says “you are too expensive, another supplier is 15 % cheaper”. What now?",
               "In negotiation, a distributor's owner uses another supplier's quote to push us to match the price.",
               "Do not cut the price first: “When you say 15 % cheaper — is it the same configuration and service? "
               "Let us put the two offers side by side.” Then work out the total cost of ownership: “Over five years "
               "our energy and maintenance savings are 40,000 a year — 200,000, twice the difference.” If you must "
               "give something, trade it: “With 50 % paid in advance I can ask for a 3 % discount.”",
               "2025 negotiation review: deals where value was unpacked before any concession averaged a 3.2 % "
               "discount, price-matched deals 9.8 %, with similar win rates."),
    }),
    ("negotiation_closing", "closing", {
        "zh": ("客户说“再考虑一下”时如何推进签约", "",
               "方案都认可了，客户却说“我们再考虑一下”，怎么推进？",
               "合同条款基本谈妥，客户迟迟不签，已经拖了两周。",
               "“理解，这么重要的决定是要慎重。方便告诉我，您还在考虑的是哪一点吗？是预算时间、内部审批，"
               "还是还有顾虑没解决？”找到真实原因后给出具体下一步：“那我周五前把分期付款方案发给您，"
               "周一上午我们用 15 分钟确认，可以吗？”每次沟通都以一个带时间的下一步结束。",
               "停滞商机复盘：以带时间的下一步结束沟通的商机，两周内推进比例为 58%，否则为 23%。"),
        "en": ("When the customer says “let us think about it”", "",
               "The customer agrees with the proposal but says “we need to think about it”. How do I move on?",
               "Terms are nearly agreed, but the customer has not signed for two weeks.",
               "“Of course — it is an important decision. May I ask which point you are still weighing: the budget "
               "timing, the internal approval, or a concern we have not solved?” Once you know the real reason, "
               "offer a concrete next step: “I will send the instalment plan by Friday; shall we confirm it in 15 "
               "minutes on Monday morning?” End every contact with a next step and its time.",
               "Stalled-deal review: deals where each contact ended with a dated next step moved on within two "
               "weeks 58 % of the time, others 23 %."),
    }),
    ("relationship_care", "relationship", {
        "zh": ("签约后 90 天的客户关怀节奏", "",
               "签约以后多久联系一次客户合适？聊什么？",
               "新签客户进入交付期，销售容易把精力全部转向新商机。",
               "第 1 周：确认交付排期，介绍交付负责人；第 30 天：回访使用情况，请客户说出一个满意点和一个问题；"
               "第 60 天：带去同行的使用技巧；第 90 天：与客户一起复盘效果，顺势询问其他部门的需求。"
               "每次回访在系统中记录问题，并在 48 小时内给出答复。",
               "按 90 天节奏回访的客户，一年内复购率 41%，未回访的 18%；投诉量下降约三分之一。"),
        "en": ("The first 90 days after signing", "",
               "After the contract, how often should I contact the customer, and about what?",
               "A newly signed customer enters delivery; reps tend to move all their attention to new deals.",
               "Week 1: confirm the delivery schedule and introduce the delivery lead. Day 30: ask how it is going — "
               "one thing they like, one problem. Day 60: bring tips from similar customers. Day 90: review the "
               "results together and ask about needs in other departments. Log every issue raised and answer "
               "within 48 hours.",
               "Customers visited on the 90-day rhythm re-ordered within a year 41 % of the time, others 18 %; "
               "complaints fell by about a third."),
    }),
    ("relationship_care", "complaint", {
        "zh": ("客户投诉后 24 小时内怎么做", "",
               "客户打电话投诉交付延误，情绪很激动，怎么处理？",
               "设备延期一周到货，客户项目负责人来电投诉，并提到要向我们领导反映。",
               "先倾听，不打断，不辩解：“非常抱歉给您的项目造成了影响，您先说，我记下来。”复述问题并确认，"
               "当场给出时间承诺：“今天下午 5 点前，我给您准确的到货时间和补救方案。”4 小时内同步交付和主管，"
               "24 小时内上门或视频说明，问题关闭后一周再回访一次。",
               "24 小时内给出方案的投诉，客户一年留存率 86%；超过 72 小时的为 52%。"),
        "en": ("The first 24 hours after a complaint", "",
               "The customer calls to complain about a late delivery and is very upset. How do I handle it?",
               "Equipment arrives a week late; the customer's project lead calls to complain and mentions our "
               "management.",
               "Listen first, without interrupting or defending: “I am very sorry this has hurt your project — "
               "please go on, I am taking notes.” Repeat the problem back, then promise a time: “By 5 pm today I "
               "will give you the exact arrival date and what we do to make up for it.” Inform delivery and your "
               "lead within 4 hours, explain in person or by video within 24 hours, and call again a week after "
               "the issue is closed.",
               "Complaints answered with a plan within 24 hours kept 86 % of customers for a year; after more "
               "than 72 hours, 52 %."),
    }),
]


def seed_articles(session: Session, now: datetime | None = None, author_id: int | None = None) -> int:
    """Add the starting articles not yet in the knowledge base; returns how many were added."""
    now = now or clock_now()
    existing = {tuple(row) for row in session.execute(select(KnowledgeArticle.title, KnowledgeArticle.language))}
    added = 0
    for dimension, tag, versions in ARTICLES:
        for language, (title, customer_type, question, scenario, script, evidence) in versions.items():
            if (title, language) in existing:
                continue
            session.add(KnowledgeArticle(
                title=title, question=question, scenario=scenario, script=script, evidence=evidence,
                customer_type=customer_type, scenario_tag=tag, dimension=dimension, language=language,
                author_id=author_id, updated_by=author_id, created_at=now, updated_at=now))
            added += 1
    session.flush()
    return added
