"""The duplicate-customer rule of the data-quality scan at the size of a large company: the blocked
comparison finds what lead entry's rules call the same (core.leads.dedupe) among ~100,000 customers
in seconds, and the pairs it names are exactly those the rules would name one by one."""
from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

from core.cash.quality import CustomerRow, duplicate_matches
from core.leads import dedupe

BASE = datetime(2020, 1, 1)
CHARS = "康瑞恒鑫泰安盛源达信德嘉宏博远润福永金明诚益优天海新联祥和丰利隆辉通成兴晟昌运创佳美光正阳春秋星月山川长峰林森宝元亨立志伟"
CITIES = ("杭州", "宁波", "上海", "北京", "南京", "成都", "")
TRADES = ("医疗器械有限公司", "物流有限公司", "科技有限公司", "酒业有限公司", "贸易有限公司", "机械制造有限公司", "有限公司")


def row(i: int, name: str, phone: str) -> CustomerRow:
    return CustomerRow(i, name, phone, "", BASE + timedelta(minutes=i), None, None, ())


def random_customers(n: int, seed: int = 3) -> list[CustomerRow]:
    rng = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        brand = "".join(rng.choice(CHARS) for _ in range(rng.choice((3, 4, 4, 5, 5, 6))))
        out.append(row(i, rng.choice(CITIES) + brand + rng.choice(TRADES), f"13{rng.randrange(10 ** 9):09d}"))
    return out


def test_a_hundred_thousand_customers_scan_in_seconds_and_the_planted_pairs_are_found():
    customers = random_customers(100_000)
    n = len(customers)
    planted = {
        # the same phone written three ways
        n + 1: (1, "+86 " + customers[0].phone[:3] + " " + customers[0].phone[3:7] + " " + customers[0].phone[7:]),
        # the same company, with its city and legal form, and a phone of its own
        n + 2: (2, None),
        # one letter more inside a long brand (found by the brand's first letter)
        n + 3: (3, None),
    }
    extra = [row(n + 1, "全新公司甲乙丙", planted[n + 1][1]),
             row(n + 2, "杭州市" + dedupe.name_key(customers[1].name).core + "股份有限公司", "0571-12345678"),
             row(n + 3, _insert_letter(customers[2].name), "0571-22345678")]
    started = time.perf_counter()
    found = duplicate_matches(customers + extra, 0.8)
    seconds = time.perf_counter() - started
    assert seconds < 60, f"{seconds:.1f} s for {n:,} customers"
    assert found[n + 1][0] == 1 and "phone" in found[n + 1][1]
    assert found[n + 2][0] == 2 or dedupe.name_key(customers[found[n + 2][0] - 1].name).core == \
        dedupe.name_key(customers[1].name).core
    assert "name" in found[n + 3][1]


def _insert_letter(name: str) -> str:
    key = dedupe.name_key(name)
    longer = key.brand[:2] + "丰" + key.brand[2:]
    return name.replace(key.brand, longer, 1)


def test_the_blocked_comparison_names_what_comparing_every_pair_would():
    """On 1,000 customers, against the rules applied to every pair: each customer that has an older
    match is found, and the match named is one the rules accept (phone or name)."""
    customers = random_customers(1_000, seed=11)
    rng = random.Random(5)
    for k in range(30):  # shared phones in other formats
        src = customers[rng.randrange(len(customers))]
        customers.append(row(2000 + k, f"另一家{k}号公司", src.phone[:3] + "-" + src.phone[3:7] + "-" + src.phone[7:]))
    found = duplicate_matches(customers, 0.8)
    by_id = {c.id: c for c in customers}
    phone = {c.id: dedupe.normalize_phone(c.phone) for c in customers}
    key = {c.id: dedupe.name_key(c.name) for c in customers}

    def same_phone(a, b) -> bool:
        return phone[a] is not None and phone[a] == phone[b]

    def alike(a, b) -> bool:
        return dedupe.key_similarity(key[a], key[b], 0.8) >= 0.8 - 1e-9

    expected = {c.id for c in customers
                if any(o.age < c.age and (same_phone(c.id, o.id) or alike(c.id, o.id)) for o in customers)}
    assert len(expected) > 30
    assert set(found) == expected
    for cid, (oid, reasons, sim) in found.items():
        assert by_id[oid].age < by_id[cid].age
        assert ("phone" in reasons) == same_phone(cid, oid)
        assert ("name" in reasons) == alike(cid, oid)


def test_short_names_and_other_brands_are_not_duplicates():
    customers = [row(1, "杭州华康", ""), row(2, "杭州瑞泰", ""), row(3, "华康医疗器械", ""), row(4, "华远医疗器械", ""),
                 row(5, "杭州市第一人民医院", ""), row(6, "杭州市第二人民医院", "")]
    assert duplicate_matches(customers, 0.8) == {}
