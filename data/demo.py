"""The demo organisation and six months of its sales-process data (SPEC §1, §10 `seed-demo`).

``seed(engine, scale, seed, today)`` fills an empty, migrated database; the same (scale, seed,
today) always gives the same rows. Every time is relative to the demo's "now", the morning meeting
of ``today`` (``demo_now``: 08:30), and nothing is dated after it, so the demo always looks current.

Scales
  small — SPEC's real case: 3 regions (华东大区, 华南大区, 华北大区), 12 teams, 86 reps, about
          15,000 leads, 3,000 customers, 2,500 opportunities, 60,000 activities, 25,000 step
          instances, 1,500 customer issues and 800 cross-department requests.
  large — 5 regions, 50 teams, 500 reps, over 200,000 leads, 100,000 opportunities, 2,000,000
          activities and the step instances they trigger.

Logins (password ``demo1234`` for everyone): ``director`` (王总监), ``admin``, ``finance``;
``lead1`` leads team 1 (杭州一组), ``rep1`` and ``rep2`` are reps of team 1. Other leads are
``lead02`` …, other reps ``rep003`` … (numbered team by team).

Patterns put in on purpose, so the cockpit lights differ. They hold in the default 7-day window
as well as over the six months, and the first two grow worse until a month ago, then hold:
1. Backlog: 深圳办事处 (华南大区; team 6 in small) is drowning in leads. Its reps get 3× the
   leads of the others and contact only 50–60 % within 48 h (70 % six months ago), so its
   48 h response rate is clearly red and it holds most of the company's late leads. (In large,
   with 50 teams, 东莞办事处, 佛山办事处 and 厦门办事处 share the backlog, or one team in fifty
   would not move the company-wide light.)
2. Late needs summaries: in 华北大区 only about 60 % of needs summaries are written within 24 h
   (72 % six months ago), elsewhere about 92 %; the light's explanation names 华北 teams.
3. Late logging: reps ``rep017``, ``rep033``, ``rep061`` and ``rep075`` record most of their
   visits 2–6 days after they happened (logging lag, data-quality "logged more than 72 h late");
   a needs summary that follows such a visit is late as well.
4. Everything else is mostly healthy: first contact within 48 h about 94 %, needs summaries and
   solution updates 92–97 % on time, promotion evidence about 85 % (it is the step reps forget
   most). Company-wide the 48 h response and the needs summary lights land yellow or red,
   promotion evidence yellow (or green, in a good week), solution update green. Team 1 (杭州一组:
   lead1, rep1, rep2) is ordinary: mostly on time, with some misses.
Also: the generator puts about 2 % of leads in the lead pool (公海); data/demo_lead_desk.py then
applies the pool's recycle rules to the six months, so about two thirds of all leads (the stale
ones) end up in their team's pool; about 6 % of the
opportunities are open and stalled beyond their stage's upper bound; rep1, lead1, the backlog
teams' leads and the director find to-dos and alerts in their inbox. Cash (data/demo_cash.py): 华南大区
collects late; a few contracts disagree between amount, payments and shipments, or were entered after
their first shipment; a handful of customers exist twice, and a few lack a required field.

Rows are generated as plain dicts with explicit integer ids and written with SQLAlchemy Core
``insert`` in chunks of CHUNK_ROWS (a transaction per COMMIT_ROWS); on PostgreSQL each sequence is
then moved past the largest id. On SQLite here (2 cores) small takes under 10 s, large 3–4 minutes.
"""
from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.base import models as m
from core.base.db import bump_data_version, session_factory
from core.base.users import hash_password
from core.base.vocabulary import DEPARTMENTS, DIMENSIONS, GRADES, HEATS, SIZES, STAGES

DEMO_PASSWORD = "demo1234"
ANCHOR_TIME = time(8, 30)  # the demo's "now" on its today: the morning meeting
CHUNK_ROWS = 10_000  # rows per INSERT … executemany
COMMIT_ROWS = 100_000  # rows per transaction
SQLITE_CACHE_KIB = 256 * 1024  # page cache while seeding SQLite

REGION_NAMES = ("华东大区", "华南大区", "华北大区", "华中大区", "西南大区")
TEAM_NAMES = {
    "华东大区": ("杭州一组", "杭州二组", "宁波办事处", "苏州办事处", "上海一组", "上海二组", "南京办事处",
             "无锡办事处", "合肥办事处", "温州办事处"),
    "华南大区": ("广州一组", "深圳办事处", "佛山办事处", "厦门办事处", "广州二组", "东莞办事处", "福州办事处",
             "南宁办事处", "海口办事处", "珠海办事处"),
    "华北大区": ("北京一组", "北京二组", "天津办事处", "石家庄办事处", "太原办事处", "济南办事处", "青岛办事处",
             "呼和浩特办事处", "唐山办事处", "保定办事处"),
    "华中大区": ("武汉一组", "武汉二组", "长沙办事处", "郑州办事处", "南昌办事处", "宜昌办事处", "襄阳办事处",
             "洛阳办事处", "株洲办事处", "九江办事处"),
    "西南大区": ("成都一组", "成都二组", "重庆办事处", "昆明办事处", "贵阳办事处", "绵阳办事处", "南充办事处",
             "遵义办事处", "拉萨办事处", "大理办事处"),
}
BACKLOG_TEAM = "深圳办事处"
# The large organisation has 50 teams: there the backlog spreads over four 华南 teams, or one team
# among fifty would not move the company-wide light.
LARGE_BACKLOG_TEAMS = (BACKLOG_TEAM, "东莞办事处", "佛山办事处", "厦门办事处")
BACKLOG_LEAD_FACTOR = 3.0  # a backlog rep gets this many times the leads of another rep
LATE_SUMMARY_REGION = "华北大区"
LATE_LOGGERS = ("rep017", "rep033", "rep061", "rep075")

# Targets per scale (approximate where the generator lets chance decide): leads, customers …;
# ``objections`` are those raised outside opportunities; ``activities`` is topped up with calls,
# visits, messages, demos, renewals and complaints.
SCALES: dict[str, dict[str, Any]] = {
    "small": dict(regions=3, teams_per_region=4, team_sizes=(8, 7, 7, 7, 7, 8, 7, 7, 7, 7, 7, 7),
                  backlog_teams=(BACKLOG_TEAM,), days=182, leads=15_000,
                  customers=3_000, opportunities=2_500, promotions=6_500, objections=3_000,
                  activities=64_000, issues=1_500, requests=800),
    "large": dict(regions=5, teams_per_region=10, team_sizes=(10,) * 50,
                  backlog_teams=LARGE_BACKLOG_TEAMS, days=182, leads=215_000,
                  customers=40_000, opportunities=105_000, promotions=90_000, objections=40_000,
                  activities=2_050_000, issues=20_000, requests=10_000),
}

# ---- vocabulary ------------------------------------------------------------------------------

INDUSTRIES = ("医疗", "制造", "零售", "酒业", "教育", "物流")
INDUSTRY_W = (40, 15, 15, 12, 8, 10)
CUSTOMER_TYPES = {  # industry: (customer types, cumulative weights)
    "医疗": (("三甲医院", "民营医院", "诊所", "经销商"), (25, 55, 80, 100)),
    "零售": (("经销商", "终端门店"), (40, 100)),
    "酒业": (("经销商", "终端门店"), (60, 100)),
    "制造": (("企业客户", "经销商"), (80, 100)),
    "教育": (("企业客户", "经销商"), (80, 100)),
    "物流": (("企业客户", "经销商"), (80, 100)),
}
NAME_SUFFIX = {
    "医疗": ("医疗器械有限公司", "医药有限公司", "医疗科技有限公司"),
    "制造": ("机械制造有限公司", "精密制造有限公司", "电子科技有限公司", "新材料有限公司"),
    "零售": ("商贸有限公司", "超市", "便利连锁有限公司", "百货有限公司"),
    "酒业": ("酒业有限公司", "酒类贸易有限公司", "名酒商行", "酒业连锁有限公司"),
    "教育": ("教育科技有限公司", "培训学校", "职业技术学校", "教育集团有限公司"),
    "物流": ("物流有限公司", "供应链管理有限公司", "快运有限公司", "仓储有限公司"),
}
BRAND_A = "华康瑞恒鑫泰安盛源达信德嘉宏博远润福永金明诚益优天海新联祥和"
BRAND_B = "康瑞泰安盛源达信德嘉宏博远润福丰利隆辉通成兴晟昌运创佳美华"
SIZE_W = (45, 35, 20)  # of SIZES
HEAT_W = (20, 45, 35)  # of HEATS
CHANNELS = ("展会", "官网", "转介绍", "电话营销", "线上广告", "老客户")
CHANNEL_W = (15, 25, 15, 15, 20, 10)
GRADE_W = (25, 45, 30)
PRODUCTS = ("CT设备", "超声设备", "耗材", "软件服务", "维保服务")
PRODUCT_W_MEDICAL = (20, 25, 30, 10, 15)
PRODUCT_W_OTHER = (0, 0, 45, 35, 20)
PRODUCT_AMOUNT = {"CT设备": (600_000, 2_000_000), "超声设备": (150_000, 800_000), "耗材": (10_000, 200_000),
                  "软件服务": (50_000, 500_000), "维保服务": (20_000, 300_000)}
PHONE_PREFIXES = ("138", "139", "136", "137", "135", "150", "151", "152", "158", "159", "186", "187", "188",
                  "189", "177", "180", "181", "133", "153", "199")
TAX_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Standard dwell time of each stage, days (SPEC §4), and the chance to be lost in it.
DWELL_DAYS = {"initial_contact": (3, 5), "needs_confirmed": (7, 10), "proposal": (5, 8),
              "negotiation": (10, 15), "contract_signed": (2, 3)}
LOST_IN_STAGE = (0.12, 0.11, 0.10, 0.09, 0.04)
STAGE_EVIDENCE = {"initial_contact": "", "needs_confirmed": "需求确认书", "proposal": "方案书",
                  "negotiation": "报价单", "contract_signed": "合同扫描件"}
STAGE_KINDS = {"initial_contact": ("call", "visit"), "needs_confirmed": ("visit", "demo"),
               "proposal": ("proposal",), "negotiation": ("visit", "call"), "contract_signed": ("visit", "message")}
LOST_REASONS = ("价格超出预算", "选择了竞品", "项目取消", "预算推迟到明年", "决策人变更", "需求不匹配")

NEXT_ACTIONS = ("电话回访确认需求", "安排产品演示", "发送报价单", "上门拜访关键人", "邀请参加展会", "发送方案书",
                "约见科室主任", "寄送样品", "安排技术交流", "确认采购预算")
PROBLEMS = ("现有设备老化，检查排队超过一周", "耗材采购分散，成本难以控制", "门店动销慢，库存积压",
            "信息系统之间数据不通，统计靠手工", "售后响应慢，停机影响营业", "新院区开业需要整体配置方案",
            "经销渠道价格混乱，窜货严重", "培训不到位，设备使用率低", "年度预算有限，希望分期付款",
            "物流时效不稳定，客户投诉多")
CONCERNS = ("价格", "交付周期", "售后响应", "培训支持", "付款方式", "产品稳定性", "与现有系统对接",
            "品牌口碑", "耗材后续成本", "合规与资质", "升级扩展能力", "决策周期长")
CALL_SUMMARIES = ("确认联系人和采购时间", "介绍公司和产品", "了解现有供应商情况", "约定上门拜访时间",
                  "回访上次演示的反馈", "跟进报价反馈", "确认预算审批进度")
VISIT_PURPOSES = ("首次拜访，了解需求", "拜访关键决策人", "现场勘查", "回访使用情况", "商务洽谈", "节日客情维护")
VISIT_OUTCOMES = ("客户同意安排演示", "需求已初步确认", "需提交正式方案", "客户要求降价", "暂无采购计划",
                  "约定下周再谈")
PROMOTIONS = ("买十赠一", "新品试用", "满额返点", "陈列奖励", "节日特惠", "会员日活动")
PROMOTION_NOTES = ("端架陈列已到位，堆头三处", "促销物料全部张贴", "店员已完成培训，试饮反馈良好",
                   "活动首日客流明显增加", "部分赠品缺货，已协调补货")
OBJECTIONS = (("价格偏高，比竞品贵15%", "price"), ("担心交付周期太长", "delivery"),
              ("对售后响应速度有顾虑", "service"), ("需要和现有系统对接", "integration"),
              ("预算要等下季度", "budget"), ("竞品给了更长的质保", "competitor"))
SOLUTION_PROGRESS = ("已申请特价，等待审批", "已提供分期付款方案", "技术团队确认可对接，已发方案",
                     "承诺48小时上门服务并写入合同", "已安排样机试用", "延长质保一年已获批")
DEMO_FEEDBACK = ("图像质量满意", "操作流程需简化", "希望增加培训", "与竞品对比后再定")
MESSAGE_SUMMARIES = ("微信发送产品资料", "节日问候", "发送案例介绍", "提醒确认订单", "发送会议纪要")
RENEWAL_NOTES = ("维保合同续签一年", "耗材年度框架协议续签", "软件服务续费")
COMPLAINT_NOTES = ("到货延迟两天", "发票开具错误", "安装人员迟到", "耗材包装破损")
ISSUE_TITLES = ("设备安装延期", "耗材配送不及时", "发票信息有误", "售后响应慢", "需要操作培训",
                "系统对接问题", "退换货申请", "价格调整咨询", "资质文件补充")
RESOLUTIONS = ("已重新安排安装并完成验收", "已协调仓库加急发货", "已重开发票", "工程师已上门处理",
               "已安排线上培训", "接口问题已修复", "已办理退换", "已按新价格执行", "资质文件已补齐")
REQUEST_SUBJECTS = {
    "marketing": ("申请展会物料", "需要客户案例资料", "申请促销支持费用", "线上广告线索质量反馈"),
    "support": ("需要技术人员陪同演示", "设备故障需远程支持", "对接方案技术评估", "培训讲师支持"),
    "delivery": ("确认交货期", "加急发货申请", "安装排期协调", "到货验收资料"),
}
REQUEST_ANSWERS = ("已安排", "已确认，按计划执行", "资料已发送", "已协调处理", "已答复客户")

# Hour-of-day weights for when things happen (working days).
WORK_HOURS_W = (0, 0, 0, 0, 0, 0, 1, 3, 8, 10, 10, 9, 5, 7, 10, 10, 9, 7, 5, 4, 3, 2, 1, 0)


def demo_now(today: date | None = None) -> datetime:
    """The demo's "now": 08:30 on ``today`` (default: today); no generated time is later."""
    return datetime.combine(today or date.today(), ANCHOR_TIME)


def is_empty(engine: Engine) -> bool:
    """True when the (migrated) database has no users yet."""
    with session_factory(engine)() as session:
        return not session.scalar(select(func.count()).select_from(m.User))


def seed(engine: Engine, scale: str = "small", seed: int = 7, today: date | None = None) -> dict[str, int]:
    """Fill an empty, migrated database with the demo; returns the rows written per table."""
    if scale not in SCALES:
        raise ValueError(f"unknown demo scale {scale!r}; known: {', '.join(SCALES)}")
    if not is_empty(engine):
        raise ValueError("the database already has users: the demo seeds only an empty database")
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # a bigger page cache for this connection keeps index inserts off the disk
            conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            conn.commit()
        try:
            with Session(bind=conn) as session:
                demo = _Demo(session, SCALES[scale], seed, today or date.today())
                try:
                    demo.run()
                    _seed_capabilities(engine, seed, demo_now(today))
                except BaseException:
                    demo.writer.undo()  # chunks were committed as they went: leave the database empty again
                    raise
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA cache_size = -2000")  # SQLite's default
                conn.commit()
    with session_factory(engine)() as session:  # what is really there, whichever part wrote it
        return {table.name: session.scalar(select(func.count()).select_from(table))
                for table in m.Base.metadata.sorted_tables
                if table.name not in ("data_version", "alembic_version")}


def _seed_capabilities(engine: Engine, seed: int, now: datetime) -> None:
    """What each capability adds to the bulk demo, in one transaction: the knowledge base, the leads'
    assessments and coaching, the lead desk, department staff, the scorecard, a conversion drop, and
    cash (what was received, invoiced and shipped, with its deliberate patterns: data/demo_cash.py)."""
    from core.base.db import write_tx
    from core.cash import quality
    from data.demo_cash import seed_cash
    from data.demo_funnel import seed_conversion_drop
    from data.demo_incentives import seed_incentives
    from data.demo_lead_desk import seed_routing_and_pool
    from data.demo_leads import seed_lead_desk
    from data.demo_targets import seed_targets
    from data.demo_people import seed_scorecard
    from data.demo_process_people import seed_department_staff
    from data.knowledge import seed_articles

    with write_tx(engine) as session:
        seed_articles(session)
        _people(session, random.Random(seed + 1), now)
        seed_lead_desk(session, now)  # rep1's inbox in every situation; a customer to find as a duplicate
        seed_routing_and_pool(session, random.Random(seed + 2), now, {})  # routing rules, pool rules, the pool
        password_hash = session.scalar(select(m.User.password_hash).where(m.User.username == "director"))
        seed_department_staff(session, now, password_hash)  # support1, marketing1, delivery1
        seed_scorecard(session, now)  # targets, contracts, payments, surveys, two new reps
        seed_conversion_drop(session, now)  # a conversion drop for the diagnosis
        seed_cash(session, now, seed + 16)  # receipts, invoices, shipments; late region, mismatches, duplicates
        quality.scan(session, now)  # the data-quality scan has run once: its findings wait in the owners' inboxes
        seed_targets(session, now, seed + 17)  # the year's plan, one team behind, confirmations, a proposal
        seed_incentives(session, now)  # a model version, the ledger, a tripped breaker


COACHING_NOTES = [
    ("练习了价格异议的回应：先确认顾虑，再讲总拥有成本。", "下次拜访前准备三条同类客户的案例。"),
    ("复盘了首次拜访：需求问得太少，方案讲得太早。", "首访用五个开放式问题，先写需求纪要。"),
    ("模拟了与采购科长的谈判，练习让步的节奏。", "每次让步都要换回一个条件，记录在商机里。"),
    ("一起看了老客户回访计划，发现三家客户超过一个月未联系。", "本周内回访这三家客户并登记拜访。"),
]


def _people(session: Session, rng: random.Random, now: datetime) -> dict[str, int]:
    """Capability scores for every rep (two assessments by their lead, a quarter apart) and coaching
    records for about two thirds of the reps in the last month, most of them rated."""
    reps = session.execute(
        select(m.User.id, m.User.team_id, m.Team.lead_user_id)
        .join(m.Team, m.Team.id == m.User.team_id).where(m.User.role == "rep").order_by(m.User.id)
    ).all()
    scores, coaching = [], []
    for rep_id, team_id, lead_id in reps:
        base = {d: rng.randint(2, 4) for d in DIMENSIONS}
        for when, lift in ((now - timedelta(days=95), 0), (now - timedelta(days=5), 1)):
            for dim, score in base.items():
                scores.append(dict(owner_id=rep_id, team_id=team_id, dimension=dim, assessed_by=lead_id,
                                   assessed_at=when, note="", score=min(5, score + (lift if rng.random() < 0.5 else 0))))
        if rng.random() < 0.66:
            summary, points = rng.choice(COACHING_NOTES)
            day = (now - timedelta(days=rng.randint(1, 30))).date()
            rated = rng.random() < 0.7
            coaching.append(dict(lead_id=lead_id, owner_id=rep_id, team_id=team_id, coached_on=day,
                                 dimension=min(base, key=base.get), scenario_practiced=rng.random() < 0.6,
                                 summary=summary, next_points=points,
                                 rep_rating=rng.choice([3, 4, 4, 5, 5]) if rated else None,
                                 rated_at=now - timedelta(hours=rng.randint(1, 48)) if rated else None,
                                 created_at=datetime.combine(day, time(17, 0))))
    if scores:
        session.execute(insert(m.CapabilityScore), scores)
    if coaching:
        session.execute(insert(m.CoachingRecord), coaching)
    return {"capability_scores": len(scores), "coaching_records": len(coaching)}


# ---- writing ---------------------------------------------------------------------------------

class _Writer:
    """Buffers rows per table and writes them with Core inserts, parents before children."""

    ORDER = (m.Region, m.Team, m.User, m.Customer, m.Lead, m.LeadAssignment, m.Opportunity, m.StageHistory,
             m.Activity, m.StepInstance, m.CustomerIssue, m.CrossDeptRequest, m.Todo, m.Alert)

    def __init__(self, session: Session, chunk: int = CHUNK_ROWS):
        self.session = session
        self.chunk = chunk
        self.tables = [model.__table__ for model in self.ORDER]
        self.buffers: dict[str, list[dict]] = {t.name: [] for t in self.tables}
        self.last_id: dict[str, int] = {t.name: 0 for t in self.tables}
        self.counts: dict[str, int] = {t.name: 0 for t in self.tables}
        self.pending = 0
        self.uncommitted = 0

    def next_id(self, table: str) -> int:
        self.last_id[table] += 1
        return self.last_id[table]

    def add(self, table: str, row: dict) -> None:
        """Queue a finished row; its parents must have been added before it."""
        self.buffers[table].append(row)
        self.pending += 1
        if self.pending >= self.chunk:
            self.flush()

    def flush(self) -> None:
        """Write every buffered row, parents first; commit once COMMIT_ROWS rows are uncommitted."""
        for table in self.tables:
            rows = self.buffers[table.name]
            if rows:
                self.session.execute(insert(table), rows)
                self.counts[table.name] += len(rows)
                self.uncommitted += len(rows)
                self.buffers[table.name] = []
        self.pending = 0
        if self.uncommitted >= COMMIT_ROWS:
            self.session.commit()
            self.uncommitted = 0


    def undo(self) -> None:
        """Delete every row written so far (children first), after a failure part-way."""
        self.session.rollback()
        teams = m.Team.__table__
        self.session.execute(update(teams).values(lead_user_id=None))
        for table in reversed(self.tables):
            self.session.execute(table.delete())
        self.session.commit()


# ---- the generator ---------------------------------------------------------------------------

@dataclass(slots=True)
class _Rep:
    id: int
    username: str
    name: str
    team_id: int
    region_id: int
    city: str  # the team's city, where most of its customers are
    cities: list[str]  # the region's cities
    weight: float  # share of the incoming leads, relative
    backlog: bool
    late_logger: bool
    p: dict[str, tuple[float, float]]  # on-time chance six months ago and from a month ago, per step
    # customers: (id, name, industry, customer type, phone, hour created)
    old_customers: list[tuple] = field(default_factory=list)
    new_customers: list[tuple] = field(default_factory=list)


class _Demo:
    def __init__(self, session: Session, cfg: dict[str, Any], seed: int, today: date):
        self.session = session
        self.cfg = cfg
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.writer = _Writer(session)
        self.days = cfg["days"]
        self.t0 = datetime.combine(today - timedelta(days=self.days), time(0))
        self.now_h = self.days * 24 + ANCHOR_TIME.hour + ANCHOR_TIME.minute / 60
        self.ramp_h = self.now_h - 30 * 24  # patterns worsen until a month ago, then hold
        steps = session.execute(select(m.ProcessStep.code, m.ProcessStep.id, m.ProcessStep.within_hours,
                                       m.ProcessStep.action)).all()
        self.steps = {code: (sid, float(hours), action) for code, sid, hours, action in steps}
        for code in ("needs_summary", "promotion_evidence", "solution_update"):
            if code not in self.steps:
                raise LookupError(f"process step {code!r} is missing: run `python -m cli init-db` first")
        self.names = [self.fake.name() for _ in range(3000)]
        self.hour_cw = _cum(WORK_HOURS_W)
        self.watch: dict[str, list] = {"rep1_new_leads": [], "rep1_open_steps": [], "team1_stalled": [],
                                       "team1_new_leads": []}

    # -- helpers --

    def dt(self, h: float) -> datetime:
        return self.t0 + timedelta(seconds=int(h * 3600))

    def pick(self, seq, cw):
        """One item of ``seq`` drawn with cumulative weights ``cw`` (a fast ``random.choices``)."""
        return seq[bisect.bisect(cw, self.rng.random() * cw[-1])]

    def daytime(self, h: float) -> float:
        """The same day as ``h`` at a working hour."""
        day = math.floor(h / 24) * 24
        return day + self.pick(range(24), self.hour_cw) + self.rng.random()

    def work(self, h: float, limit: float | None = None) -> float:
        """``h``, moved to the next working morning when it falls at night (unless past ``limit`` or now)."""
        hod = h % 24
        if 7.5 <= hod < 21.5:
            return h
        moved = h - hod + (24 if hod >= 21.5 else 0) + 7.5 + self.rng.uniform(0, 2)
        return h if moved >= self.now_h or (limit is not None and moved > limit) else moved

    def p_on_time(self, rep: _Rep, code: str, h: float) -> float:
        start, end = rep.p[code]
        return start + (end - start) * min(1.0, max(0.0, h / self.ramp_h))

    def phone(self) -> str:
        return f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randrange(10 ** 8):08d}"

    def company(self, industry: str, ctype: str, city: str) -> str:
        rng = self.rng
        a, b = rng.choice(BRAND_A), rng.choice(BRAND_B)
        brand = a + (b if b != a else "丰")
        if ctype == "三甲医院":
            return rng.choice((f"{city}市第{'一二三四五六七八九'[rng.randrange(9)]}人民医院",
                               f"{city}{brand}中心医院", f"{city}市中医院{brand}分院"))
        if ctype == "民营医院":
            return f"{city}{brand}{rng.choice(('医院', '妇产医院', '眼科医院', '骨科医院'))}"
        if ctype == "诊所":
            return f"{city}{self.fake.last_name()}氏{rng.choice(('口腔诊所', '中医诊所', '诊所'))}"
        if ctype == "终端门店" and industry in ("零售", "酒业"):
            return f"{city}{brand}{rng.choice(('便利店', '超市', '名烟名酒店', '生活馆'))}"
        return f"{city}{brand}{rng.choice(NAME_SUFFIX[industry])}"

    def tax_id(self) -> str:
        return "91" + f"{self.rng.randrange(110000, 660000):06d}" + "".join(
            self.rng.choice(TAX_CHARS) for _ in range(10))

    # -- the whole run --

    def run(self) -> None:
        self.organisation()
        self.old_customers()
        self.leads()
        self.existing_opportunities()
        self.promotions()
        self.customer_objections()
        self.filler_activities()
        self.issues_and_requests()
        self.inbox()
        self.writer.flush()
        bump_data_version(self.session)
        self.move_sequences()
        self.session.commit()

    # -- organisation --

    def organisation(self) -> None:
        cfg, rng, w = self.cfg, self.rng, self.writer
        password = hash_password(DEMO_PASSWORD)
        regions = REGION_NAMES[:cfg["regions"]]
        teams: list[tuple[int, str, int, str]] = []  # id, name, region id, city
        for r, region in enumerate(regions, start=1):
            w.add("regions", {"id": r, "name": region})
            for name in TEAM_NAMES[region][:cfg["teams_per_region"]]:
                tid = len(teams) + 1
                teams.append((tid, name, r, name.replace("一组", "").replace("二组", "").replace("办事处", "")))
                w.add("teams", {"id": tid, "name": name, "region_id": r, "lead_user_id": None,
                                "auto_reassign": False})
        region_cities = {r: [c for (_, _, rr, c) in teams if rr == r] for r in range(1, len(regions) + 1)}
        for r, region in enumerate(regions, start=1):
            region_cities[r] += [n.replace("一组", "").replace("二组", "").replace("办事处", "")
                                 for n in TEAM_NAMES[region][cfg["teams_per_region"]:]]
        used_names: set[str] = set()

        def person() -> str:
            name = self.fake.name()
            while name in used_names:
                name = self.fake.name()
            used_names.add(name)
            return name

        def user(uid, username, display, role, team_id):
            created = self.t0 - timedelta(days=rng.uniform(10, 90))
            w.add("users", {"id": uid, "username": username, "display_name": display,
                            "email": f"{username}@demo.example.com", "role": role, "team_id": team_id,
                            "password_hash": password, "active": True, "language": None, "failed_logins": 0,
                            "locked_until": None, "revoked_before": None,
                            "created_at": created.replace(microsecond=0)})

        used_names.update(("王总监", "系统管理员", "陈会计"))
        user(1, "director", "王总监", "director", None)
        user(2, "admin", "系统管理员", "admin", None)
        user(3, "finance", "陈会计", "finance", None)
        self.lead_of: dict[int, int] = {}
        for tid, name, _, _ in teams:
            uid = 3 + tid
            user(uid, "lead1" if tid == 1 else f"lead{tid:02d}", person(), "lead", tid)
            self.lead_of[tid] = uid
        self.reps: list[_Rep] = []
        uid = 3 + len(teams)
        for tid, name, r, city in teams:
            backlog = name in cfg["backlog_teams"]
            rates = self.team_rates(tid, backlog, regions[r - 1] == LATE_SUMMARY_REGION)
            for _ in range(cfg["team_sizes"][tid - 1]):
                uid += 1
                n = len(self.reps) + 1
                username = f"rep{n}" if n <= 2 else f"rep{n:03d}"
                display = person()
                user(uid, username, display, "rep", tid)
                jitter = {code: tuple(min(0.99, p + rng.uniform(-0.02, 0.02)) for p in pair)
                          for code, pair in rates.items()}
                weight = BACKLOG_LEAD_FACTOR if backlog else rng.uniform(0.8, 1.2)
                self.reps.append(_Rep(id=uid, username=username, name=display, team_id=tid, region_id=r,
                                      city=city, cities=region_cities[r], weight=weight, backlog=backlog,
                                      late_logger=username in LATE_LOGGERS, p=jitter))
        self.teams = teams
        w.flush()
        teams_t = m.Team.__table__
        self.session.execute(
            update(teams_t).where(teams_t.c.id == bindparam("b_id")).values(lead_user_id=bindparam("b_lead")),
            [{"b_id": tid, "b_lead": lead} for tid, lead in self.lead_of.items()])
        self.session.commit()

    def team_rates(self, team_id: int, backlog: bool, late_summaries: bool) -> dict[str, tuple[float, float]]:
        """Chance of first contact within 48 h and of each step on time: six months ago, and from a month ago."""
        if team_id == 1:  # ordinary: mostly on time, some misses
            return {"first": (0.90, 0.90), "needs_summary": (0.90, 0.90), "promotion_evidence": (0.85, 0.85),
                    "solution_update": (0.93, 0.93)}
        off = [self.rng.uniform(-0.03, 0.03) for _ in range(4)]
        # a backlog team (3× the leads, so 3× the summaries) writes its summaries well: its few
        # misses must not crowd the late-summary region out of that light's explanation
        return {"first": (0.70, 0.50) if backlog else (0.94 + off[0] * 0.7,) * 2,
                "needs_summary": ((0.72, 0.60) if late_summaries else (0.96, 0.96) if backlog
                                  else (0.94 + off[1],) * 2),
                "promotion_evidence": (0.85 + off[2] * 0.5,) * 2,
                "solution_update": (0.95 + off[3],) * 2}

    # -- customers that exist before the six months --

    def _customer_row(self, cid, rep, created_h, industry=None, ctype=None, name=None, phone=None, size=None):
        rng = self.rng
        industry = industry or self.pick(INDUSTRIES, INDUSTRY_CW)
        if ctype is None:
            types, weights = CUSTOMER_TYPES[industry]
            ctype = self.pick(types, weights)
        if size is None:
            size = "large" if ctype == "三甲医院" else self.pick(SIZES, SIZE_CW)
        city = rep.city if rng.random() < 0.6 else rng.choice(rep.cities)
        created = self.dt(created_h)
        return {"id": cid, "name": name or self.company(industry, ctype, city), "phone": phone or self.phone(),
                "tax_id": self.tax_id() if rng.random() < 0.9 else None, "industry": industry, "size": size,
                "customer_type": ctype, "heat": self.pick(HEATS, HEAT_CW), "region_id": rep.region_id,
                "owner_id": rep.id, "team_id": rep.team_id, "created_at": created,
                "updated_at": self.dt(self.rng.uniform(max(created_h, 0), self.now_h))}

    def old_customers(self) -> None:
        """Customers from before the period; about half of the target (converted leads add the rest)."""
        n_old = max(len(self.reps), int(self.cfg["customers"] * 0.5))
        w = self.writer
        for i in range(n_old):
            rep = self.reps[i % len(self.reps)] if i < len(self.reps) else self.rng.choice(self.reps)
            cid = w.next_id("customers")
            created_h = -self.rng.uniform(60, 900) * 24
            row = self._customer_row(cid, rep, created_h)
            w.add("customers", row)
            rep.old_customers.append((cid, row["name"], row["industry"], row["customer_type"], row["phone"],
                                      created_h))

    def customer_at(self, rep: _Rep, h: float, promo: bool = False) -> tuple:
        """One of the rep's customers that exists at hour ``h``."""
        rng = self.rng
        if rep.new_customers and rng.random() < 0.35:
            c = rng.choice(rep.new_customers)
            if c[5] <= h:
                return c
        if promo:
            for _ in range(4):
                c = rng.choice(rep.old_customers)
                if c[3] in ("经销商", "终端门店"):
                    return c
        return rng.choice(rep.old_customers)

    # -- activities and steps --

    def activity(self, kind: str, rep: _Rep, h: float, fields: dict, customer_id=None, lead_id=None,
                 opp_id=None, note: str = "", logged_h: float | None = None) -> tuple[int, float]:
        """Queue one activity; returns (id, hour it was logged)."""
        rng = self.rng
        if logged_h is None:
            if kind == "visit" and rep.late_logger and rng.random() < 0.85:
                lag = rng.uniform(48, 144)
            elif rng.random() < 0.015:
                lag = rng.uniform(24, 72)
            else:
                lag = min(36.0, rng.lognormvariate(0.2, 1.0))
            logged_h = h + lag
        logged_h = min(logged_h, self.now_h)
        aid = self.writer.next_id("activities")
        self.writer.add("activities", {
            "id": aid, "kind": kind, "customer_id": customer_id, "lead_id": lead_id, "opportunity_id": opp_id,
            "owner_id": rep.id, "team_id": rep.team_id, "happened_at": self.dt(h), "logged_at": self.dt(logged_h),
            "effective": (rng.random() < 0.85) if kind == "visit" else True, "fields": fields, "note": note})
        return aid, logged_h

    def contact_fields(self, kind: str) -> dict:
        rng = self.rng
        if kind == "call":
            return {"duration_min": rng.randint(2, 25), "summary": rng.choice(CALL_SUMMARIES)}
        if kind == "visit":
            return {"purpose": rng.choice(VISIT_PURPOSES), "attendees": rng.randint(1, 4),
                    "outcome": rng.choice(VISIT_OUTCOMES)}
        if kind == "demo":
            return {"product": rng.choice(PRODUCTS), "attendees": rng.randint(2, 8),
                    "feedback": rng.choice(DEMO_FEEDBACK)}
        if kind == "proposal":
            return {"product": rng.choice(PRODUCTS), "version": rng.randint(1, 3)}
        if kind == "message":
            return {"channel": rng.choice(("微信", "短信", "邮件")), "summary": rng.choice(MESSAGE_SUMMARIES)}
        if kind == "renewal":
            return {"contract_months": rng.choice((12, 24, 36)), "note": rng.choice(RENEWAL_NOTES)}
        if kind == "complaint":
            return {"issue": rng.choice(COMPLAINT_NOTES)}
        return {}

    def completion_fields(self, code: str, done_h: float) -> dict:
        rng = self.rng
        if code == "needs_summary":
            return {"problem": rng.choice(PROBLEMS), "concerns": rng.sample(CONCERNS, 3),
                    "next_action": rng.choice(NEXT_ACTIONS),
                    "next_action_at": self.dt(done_h + rng.uniform(24, 120)).isoformat()}
        if code == "promotion_evidence":
            return {"photos": rng.choice((3, 3, 3, 4, 5, 6)), "note": rng.choice(PROMOTION_NOTES)}
        return {"progress": rng.choice(SOLUTION_PROGRESS)}

    def step(self, code: str, rep: _Rep, trigger_id: int, h: float, logged_h: float, customer_id=None,
             lead_id=None, opp_id=None) -> None:
        """A triggered step instance, completed on time, late, or still open, with its completing activity."""
        rng = self.rng
        step_id, within, action = self.steps[code]
        p = self.p_on_time(rep, code, h)
        r = rng.random()
        if r < p:
            done = self.work(h + within * min(0.97, rng.betavariate(1.3, 3.0) + 0.02), limit=h + within)
        elif r < p + (1 - p) * 0.7:
            done = self.work(h + within + rng.expovariate(1 / 30) + 0.5)
        else:
            done = None
        if done is not None:
            done = max(done, logged_h + rng.uniform(0.1, 0.6))
            if done > self.now_h:
                done = None
        completing = None
        if done is not None:
            happened = max(h, done - rng.uniform(0, 0.5))
            completing, _ = self.activity(action, rep, happened, self.completion_fields(code, done),
                                          customer_id, lead_id, opp_id, logged_h=done)
        sid = self.writer.next_id("step_instances")
        self.writer.add("step_instances", {
            "id": sid, "step_id": step_id, "customer_id": customer_id, "owner_id": rep.id, "team_id": rep.team_id,
            "trigger_activity_id": trigger_id, "triggered_at": self.dt(h), "due_at": self.dt(h + within),
            "completed_at": None if done is None else self.dt(done), "completing_activity_id": completing})
        if rep.username == "rep1" and done is None and h + within < self.now_h:
            self.watch["rep1_open_steps"].append((sid, code, customer_id))

    # -- leads --

    def leads(self) -> None:
        rng, cfg = self.rng, self.cfg
        cw = _cum([rep.weight for rep in self.reps])
        per_day = cfg["leads"] / (self.days * (5 * 1.1 + 2 * 0.55) / 7)
        start_date = self.t0.date()
        for day in range(self.days + 1):
            weekday = (start_date + timedelta(days=day)).weekday()
            n = round(per_day * (1.1 if weekday < 5 else 0.55) * rng.uniform(0.85, 1.15))
            for _ in range(n):
                h = day * 24 + self.pick(range(24), self.hour_cw) + rng.random()
                if h >= self.now_h:
                    continue
                self.lead(self.reps[self.pick(range(len(self.reps)), cw)], h)

    def first_contact_delay(self, rep: _Rep, h: float) -> float | None:
        """Hours from a lead's creation to its first contact; None for never."""
        rng = self.rng
        p = self.p_on_time(rep, "first", h)
        r = rng.random()
        if r < p:
            d = rng.lognormvariate(2.7, 0.8) if rep.backlog else rng.lognormvariate(1.1, 1.1)
            return d if d < 47.5 else rng.uniform(0.3, 47.5)
        if r < p + (1 - p) * 0.6:
            return 48.2 + min(300.0, rng.expovariate(1 / 36))
        return None

    def lead_journey(self, rep: _Rep, h: float) -> tuple[float | None, str, float | None, float | None]:
        """(first contact, status, converted, lost) hours of a lead created at ``h``, as far as now."""
        rng = self.rng
        delay = self.first_contact_delay(rep, h)
        if delay is None:
            return None, "new", None, None
        fc = self.work(h + delay, limit=h + 47.9 if delay < 48 else None)
        if fc >= self.now_h:
            return None, "new", None, None
        r = rng.random()
        qualified_h = fc + rng.uniform(24, 144)
        if r < 0.13:  # contacted → qualified → converted
            converted_h = self.work(qualified_h + rng.uniform(72, 480))
            if converted_h < self.now_h:
                return fc, "converted", converted_h, None
        elif r < 0.33:  # contacted → lost
            lost_h = self.work(fc + rng.uniform(72, 960))
            if lost_h < self.now_h:
                return fc, "lost", None, lost_h
        elif r >= 0.55:
            return fc, "contacted", None, None
        return fc, ("qualified" if qualified_h < self.now_h else "contacted"), None, None

    def lead(self, rep: _Rep, h: float) -> None:
        """One lead with its routing, first contact (and needs summary), follow-ups and conversion."""
        rng, w = self.rng, self.writer
        lid = w.next_id("leads")
        channel = self.pick(CHANNELS, CHANNEL_CW)
        grade = self.pick(GRADES, GRADE_CW)
        assigned_h = h + rng.uniform(0.02, 0.4)
        fc, status, conv_h, lost_h = self.lead_journey(rep, h)
        if channel == "老客户":
            customer_id, company, industry, ctype, phone, _ = rng.choice(rep.old_customers)
        else:
            customer_id, industry = None, self.pick(INDUSTRIES, INDUSTRY_CW)
            ctype = self.pick(*CUSTOMER_TYPES[industry])
            company = self.company(industry, ctype, rep.city if rng.random() < 0.6 else rng.choice(rep.cities))
            phone = self.phone()
        size = "large" if ctype == "三甲医院" else self.pick(SIZES, SIZE_CW)
        if status == "converted" and customer_id is None:
            customer_id = w.next_id("customers")
            w.add("customers", self._customer_row(customer_id, rep, conv_h, industry, ctype, company, phone, size))
            rep.new_customers.append((customer_id, company, industry, ctype, phone, conv_h))
        follow: list[float] = []
        if fc is not None:  # follow-ups between first contact and the end (or now)
            stop = min(self.now_h, lost_h or conv_h or fc + 20 * 24)
            if stop > fc + 2:
                follow = sorted(self.work(rng.uniform(fc + 2, stop), limit=stop)
                                for _ in range(self.pick((0, 1, 2, 3), FOLLOW_UPS_CW)))
        last = None if fc is None else max([fc, *follow, conv_h or fc])
        # about 3 % of the open leads went back to the pool after 1–3 weeks without follow-up
        returned_h = (last or assigned_h) + rng.uniform(7, 20) * 24
        pool = status in ("new", "contacted", "qualified") and rng.random() < 0.035 and returned_h < self.now_h
        if pool:
            next_action, next_at = "待认领", None
        elif status in ("converted", "lost"):
            next_action, next_at = "", None
        elif fc is None:
            next_action, next_at = "首次电话联系", self.dt(h + rng.uniform(1, 4))
        else:
            next_action, next_at = rng.choice(NEXT_ACTIONS), self.dt(self.daytime(last + rng.uniform(24, 7 * 24)))
        if next_at is not None and rng.random() < 0.06:  # some leads lack a next-action time
            next_at = None
        w.add("leads", {
            "id": lid, "customer_id": customer_id, "company": company, "contact_name": rng.choice(self.names),
            "phone": phone, "source_channel": channel, "industry": industry, "size": size,
            "region_id": rep.region_id, "grade": grade, "status": status,
            "owner_id": None if pool else rep.id, "team_id": None if pool else rep.team_id,
            "created_at": self.dt(h), "assigned_at": self.dt(assigned_h),
            "first_contact_at": None if fc is None else self.dt(fc),
            "last_activity_at": None if last is None else self.dt(last), "next_action": next_action,
            "next_action_at": next_at, "converted_at": None if conv_h is None else self.dt(conv_h), "version": 1})
        self.assignment(lid, None, rep.id, rep.team_id, "routed", assigned_h)
        if pool:
            self.assignment(lid, rep.id, None, None, "returned", returned_h)
        elif h > self.now_h - 72:
            if rep.username == "rep1":
                self.watch["rep1_new_leads"].append((lid, company, grade, h, fc))
            if rep.team_id == 1 and fc is None:
                self.watch["team1_new_leads"].append((lid, company, rep.id, h))
        if fc is None:
            return
        kind = "call" if rng.random() < 0.7 else "visit"
        aid, logged = self.activity(kind, rep, fc, self.contact_fields(kind), customer_id, lid)
        self.step("needs_summary", rep, aid, fc, logged, customer_id, lid)
        for fh in follow:
            kind = self.pick(("call", "message", "visit"), FOLLOW_UP_KINDS_CW)
            self.activity(kind, rep, fh, self.contact_fields(kind), customer_id, lid)
        if conv_h is not None:
            self.opportunity(rep, (customer_id, company, industry, ctype), conv_h, lid, channel)

    def assignment(self, lead_id, from_user, to_user, team_id, reason, h) -> None:
        self.writer.add("lead_assignments", {
            "id": self.writer.next_id("lead_assignments"), "lead_id": lead_id, "from_user_id": from_user,
            "to_user_id": to_user, "team_id": team_id, "reason": reason, "at": self.dt(h), "by_user_id": None})

    # -- opportunities --

    def opportunity(self, rep: _Rep, customer: tuple, h0: float, lead_id: int | None, source: str) -> None:
        """One opportunity with its stage history and stage activities (objections trigger steps)."""
        rng, w = self.rng, self.writer
        cid, cname, industry, ctype = customer[:4]
        oid = w.next_id("opportunities")
        product = self.pick(PRODUCTS, PRODUCT_CW_MEDICAL if industry == "医疗" else PRODUCT_CW_OTHER)
        lo, hi = PRODUCT_AMOUNT[product]
        amount = round(math.exp(rng.uniform(math.log(lo), math.log(hi))), -2)
        stays: list[list] = []  # [stage, entered_h, left_h]
        k, t, went_back, status, closed_h = 0, h0, False, "open", None
        while True:
            stage = STAGES[k]
            dlo, dhi = DWELL_DAYS[stage]
            stalled = rng.random() < 0.07
            days = dhi + rng.uniform(1, 70) if stalled else rng.triangular(dlo * 0.7, dhi * 1.2, (dlo + dhi) / 2)
            end = self.work(t + days * 24)
            if end >= self.now_h:
                stays.append([stage, t, None])
                break
            stays.append([stage, t, end])
            lost_p = 0.5 if stalled else LOST_IN_STAGE[k]
            r = rng.random()
            if r < lost_p:
                status, closed_h = "lost", end
                break
            if k == len(STAGES) - 1:
                status, closed_h = "won", end
                break
            if k >= 2 and not went_back and r < lost_p + 0.04:
                k, went_back = k - 1, True
            elif k <= 2 and r < lost_p + 0.09:
                k += 2
            else:
                k += 1
            t = end
        name = f"{cname} {product}项目"
        w.add("opportunities", {
            "id": oid, "name": name[:200], "customer_id": cid, "lead_id": lead_id, "owner_id": rep.id,
            "team_id": rep.team_id, "product": product, "source_channel": source, "amount": amount,
            "stage": stays[-1][0], "status": status, "stage_entered_at": self.dt(stays[-1][1]),
            "created_at": self.dt(h0), "closed_at": None if closed_h is None else self.dt(closed_h),
            "lost_reason": rng.choice(LOST_REASONS) if status == "lost" else "", "version": 1})
        for stage, entered, left in stays:
            w.add("stage_history", {"id": w.next_id("stage_history"), "opportunity_id": oid, "stage": stage,
                                    "entered_at": self.dt(entered),
                                    "left_at": None if left is None else self.dt(left),
                                    "by_user_id": rep.id, "evidence": STAGE_EVIDENCE[stage], "note": ""})
        if closed_h is not None:
            w.add("stage_history", {"id": w.next_id("stage_history"), "opportunity_id": oid, "stage": status,
                                    "entered_at": self.dt(closed_h), "left_at": None, "by_user_id": rep.id,
                                    "evidence": "合同扫描件" if status == "won" else "", "note": ""})
        elif rep.team_id == 1:
            dhi = DWELL_DAYS[stays[-1][0]][1]
            if self.now_h - stays[-1][1] > dhi * 24:
                self.watch["team1_stalled"].append((oid, name, rep.id))
        for stage, entered, left in stays:
            end = min(left if left is not None else self.now_h, self.now_h)
            if end - entered < 1:
                continue
            kind = rng.choice(STAGE_KINDS[stage])
            at = min(end - 0.5, self.daytime(rng.uniform(entered, end)))
            at = max(entered, at)
            self.activity(kind, rep, at, self.contact_fields(kind), cid, lead_id, oid)
            if stage in ("needs_confirmed", "proposal", "negotiation") and rng.random() < 0.22:
                oh = rng.uniform(entered, end)
                text_, category = rng.choice(OBJECTIONS)
                aid, logged = self.activity("objection", rep, oh, {"objection": text_, "category": category},
                                            cid, lead_id, oid)
                self.step("solution_update", rep, aid, oh, logged, cid, lead_id, oid)

    def existing_opportunities(self) -> None:
        """Opportunities with existing customers, up to the target count."""
        rng = self.rng
        todo = self.cfg["opportunities"] - self.writer.last_id["opportunities"]
        for _ in range(max(0, todo)):
            rep = rng.choice(self.reps)
            recent = rng.random() < 0.35  # the pipeline has grown lately
            h = self.daytime(rng.uniform(self.now_h - 40 * 24 if recent else -45 * 24, self.now_h - 24))
            if h >= self.now_h:
                h -= 24
            self.opportunity(rep, self.customer_at(rep, h), h, None, "老客户")

    # -- promotions, objections, everything else --

    def promotions(self) -> None:
        rng = self.rng
        for _ in range(self.cfg["promotions"]):
            rep = rng.choice(self.reps)
            h = min(self.now_h - 0.5, self.daytime(rng.uniform(0, self.now_h)))
            c = self.customer_at(rep, h, promo=True)
            fields = {"promotion": rng.choice(PROMOTIONS), "store": c[1], "period_days": rng.choice((3, 7, 14))}
            aid, logged = self.activity("promotion", rep, h, fields, c[0])
            self.step("promotion_evidence", rep, aid, h, logged, c[0])

    def customer_objections(self) -> None:
        rng = self.rng
        for _ in range(self.cfg["objections"]):
            rep = rng.choice(self.reps)
            h = min(self.now_h - 0.5, self.daytime(rng.uniform(0, self.now_h)))
            c = self.customer_at(rep, h)
            text_, category = rng.choice(OBJECTIONS)
            aid, logged = self.activity("objection", rep, h, {"objection": text_, "category": category}, c[0])
            self.step("solution_update", rep, aid, h, logged, c[0])

    def filler_activities(self) -> None:
        """Calls, visits, messages, demos, renewals and complaints up to the target count."""
        rng = self.rng
        kinds = ("call", "visit", "message", "demo", "renewal", "complaint", "proposal")
        kinds_cw = _cum((35, 25, 20, 8, 5, 3, 4))
        notes = ("", "", "", "客户态度积极", "需再次跟进", "关键人出差，改期")
        todo = self.cfg["activities"] - self.writer.last_id["activities"]
        for _ in range(max(0, todo)):
            rep = rng.choice(self.reps)
            h = min(self.now_h - 0.2, self.daytime(rng.uniform(0, self.now_h)))
            kind = self.pick(kinds, kinds_cw)
            c = self.customer_at(rep, h)
            self.activity(kind, rep, h, self.contact_fields(kind), c[0], note=rng.choice(notes))

    def issues_and_requests(self) -> None:
        rng, w = self.rng, self.writer
        for _ in range(self.cfg["issues"]):
            rep = rng.choice(self.reps)
            h = self.daytime(rng.uniform(0, self.now_h - 1))
            h = min(h, self.now_h - 0.5)
            c = self.customer_at(rep, h)
            closed = h + rng.lognormvariate(math.log(2.8 * 24), 0.8) if rng.random() < 0.93 else None
            if closed is not None and closed > self.now_h:
                closed = None
            w.add("customer_issues", {
                "id": w.next_id("customer_issues"), "customer_id": c[0], "owner_id": rep.id,
                "team_id": rep.team_id, "title": rng.choice(ISSUE_TITLES), "raised_at": self.dt(h),
                "closed_at": None if closed is None else self.dt(closed),
                "resolution": "" if closed is None else rng.choice(RESOLUTIONS)})
        for _ in range(self.cfg["requests"]):
            rep = rng.choice(self.reps)
            h = min(self.now_h - 0.5, self.daytime(rng.uniform(0, self.now_h - 1)))
            c = self.customer_at(rep, h)
            department = rng.choice(DEPARTMENTS)
            answered = h + rng.lognormvariate(math.log(13.5), 0.9) if rng.random() < 0.94 else None
            if answered is not None and answered > self.now_h:
                answered = None
            w.add("cross_dept_requests", {
                "id": w.next_id("cross_dept_requests"), "customer_id": c[0], "owner_id": rep.id,
                "team_id": rep.team_id, "department": department,
                "subject": rng.choice(REQUEST_SUBJECTS[department]), "requested_at": self.dt(h),
                "answered_at": None if answered is None else self.dt(answered),
                "answer": "" if answered is None else rng.choice(REQUEST_ANSWERS)})

    # -- inboxes of the demo logins --

    def inbox(self) -> None:
        w, now = self.writer, self.now_h
        rep1 = next(r for r in self.reps if r.username == "rep1")
        lead1 = self.lead_of[1]
        names = {tid: name for tid, name, _, _ in self.teams}
        backlog_tids = [tid for tid, name, _, _ in self.teams if name in self.cfg["backlog_teams"]]

        def todo(owner, team, title, kind, ref_type, ref_id, due_h, created_h, done=False):
            w.add("todos", {"id": w.next_id("todos"), "owner_id": owner, "team_id": team, "title": title,
                            "kind": kind, "ref_type": ref_type, "ref_id": ref_id,
                            "due_at": None if due_h is None else self.dt(due_h), "created_at": self.dt(created_h),
                            "done_at": self.dt(min(now, created_h + 5)) if done else None, "dedupe_key": None})

        def alert(recipient, team, kind, message, ref_type, ref_id, created_h, read=False):
            w.add("alerts", {"id": w.next_id("alerts"), "recipient_id": recipient, "team_id": team, "kind": kind,
                             "message": message, "ref_type": ref_type, "ref_id": ref_id,
                             "created_at": self.dt(created_h),
                             "read_at": self.dt(min(now, created_h + 2)) if read else None, "dedupe_key": None})

        for lid, company, grade, h, fc in self.watch["rep1_new_leads"][-3:]:
            if fc is None:
                todo(rep1.id, 1, f"首次联系{grade}类线索：{company}", "lead_sla", "lead", lid, h + 48, min(now, h + 2))
                alert(rep1.id, 1, "lead_sla", f"线索「{company}」已超过2小时未联系，请尽快跟进。", "lead", lid,
                      min(now, h + 2))
            else:
                window = {"A": "48小时内电话并提交方案", "B": "72小时内预约演示", "C": "7天内第二次触达"}[grade]
                todo(rep1.id, 1, f"{grade}类线索「{company}」：{window}", "lead_followup", "lead", lid,
                     h + {"A": 48, "B": 72, "C": 168}[grade], fc)
        labels = {"needs_summary": "补写需求纪要", "promotion_evidence": "补交促销执行照片",
                  "solution_update": "更新异议方案进展"}
        for i, (sid, code, _) in enumerate(self.watch["rep1_open_steps"][-3:]):
            todo(rep1.id, 1, labels[code], "step_overdue", "step_instance", sid, now + 4, now - 6)
            alert(rep1.id, 1, "step_overdue", f"{labels[code]}：已超过截止时间。", "step_instance", sid, now - 6,
                  read=i > 0)
        alert(rep1.id, 1, "coaching", "组长为你安排了一次辅导：谈判成交。", "", None, now - 30, read=True)
        todo(rep1.id, 1, "辅导要点：练习价格异议应对话术（谈判成交）", "coaching", "", None, now + 72, now - 30)
        todo(rep1.id, 1, "确认本月目标", "manual", "", None, now - 48, now - 120, done=True)
        for oid, name, owner in self.watch["team1_stalled"][-3:]:
            alert(lead1, 1, "stalled_deal", f"商机「{name}」在当前阶段停留已超过标准时长。", "opportunity", oid, now - 10)
            if owner == rep1.id:
                todo(rep1.id, 1, f"推进停滞商机：{name}"[:200], "stalled_deal", "opportunity", oid, now + 48, now - 10)
        for lid, company, owner, h in self.watch["team1_new_leads"][-2:]:
            alert(lead1, 1, "lead_sla", f"线索「{company}」已超过2小时未联系。", "lead", lid, min(now, h + 2))
        rep2 = next(r for r in self.reps if r.username == "rep2")
        todo(lead1, 1, f"辅导{rep2.name}：方案呈现", "coaching", "user", rep2.id, now + 48, now - 20)
        todo(lead1, 1, "审阅本周需求纪要质量", "manual", "", None, now + 24, now - 2)
        for tid in backlog_tids:
            message = f"{names[tid]} 48小时响应率已连续3天低于70%。"
            alert(self.lead_of[tid], tid, "team_low_rate", message, "team", tid, now - 8)
            alert(1, tid, "team_low_rate", message, "team", tid, now - 8)
        todo(1, None, "晨会：查看红灯并指派跟进人", "manual", "", None, now + 1, now - 1)

    # -- PostgreSQL sequences --

    def move_sequences(self) -> None:
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for table in self.writer.tables:
            if self.writer.counts[table.name]:
                self.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                          f"(SELECT max(id) FROM {table.name}))"))


def _cum(weights) -> list[float]:
    """Cumulative weights for ``random.choices(cum_weights=…)``."""
    out, total = [], 0.0
    for x in weights:
        total += x
        out.append(total)
    return out


INDUSTRY_CW = _cum(INDUSTRY_W)
CHANNEL_CW = _cum(CHANNEL_W)
SIZE_CW = _cum(SIZE_W)
HEAT_CW = _cum(HEAT_W)
GRADE_CW = _cum(GRADE_W)
PRODUCT_CW_MEDICAL = _cum(PRODUCT_W_MEDICAL)
PRODUCT_CW_OTHER = _cum(PRODUCT_W_OTHER)
FOLLOW_UPS_CW = _cum((80, 12, 5, 3))  # follow-ups per contacted lead: 0, 1, 2, 3
FOLLOW_UP_KINDS_CW = _cum((50, 30, 20))  # call, message, visit
