"""Demo citizens, bills and earlier applications: invented people with valid-looking numbers.

Nothing here belongs to a real person. ID numbers get a correct GB 11643 check digit so they
pass the same checks as real ones.
"""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric

from kiosk.service import Option, Text


def _id(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


# (id number, name, birth date, address, phone)
CITIZENS = (
    (_id("11010519410315002"), "王秀英", date(1941, 3, 15),
     "北京市朝阳区幸福路12号3单元401", "+8613812345678"),
    (_id("44010619540802003"), "李建国", date(1954, 8, 2),
     "广州市天河区龙口西路8号", "+8613923456789"),
    (_id("51010419380620004"), "陈桂兰", date(1938, 6, 20),
     "成都市锦江区东风路5号2栋", "+8615834567890"),
)

HOSPITALS = (
    Option("chaoyang", Text({"en": "Chaoyang Hospital", "zh_CN": "朝阳医院"}), "hospital"),
    Option("community", Text({"en": "Community Health Centre", "zh_CN": "社区卫生服务中心"}),
           "clinic"),
    Option("tcm", Text({"en": "Hospital of Chinese Medicine", "zh_CN": "中医医院"}), "herb"),
)

DEPARTMENTS = {
    "chaoyang": (
        Option("internal", Text({"en": "General medicine", "zh_CN": "内科"}), "stethoscope"),
        Option("eye", Text({"en": "Eyes", "zh_CN": "眼科"}), "eye"),
        Option("bones", Text({"en": "Bones and joints", "zh_CN": "骨科"}), "bone"),
        Option("heart", Text({"en": "Heart", "zh_CN": "心内科"}), "heart"),
    ),
    "community": (
        Option("internal", Text({"en": "General medicine", "zh_CN": "全科"}), "stethoscope"),
        Option("chronic", Text({"en": "Blood pressure and diabetes", "zh_CN": "慢病门诊"}),
               "heart"),
    ),
    "tcm": (
        Option("tcm", Text({"en": "Chinese medicine", "zh_CN": "中医内科"}), "herb"),
        Option("acupuncture", Text({"en": "Acupuncture", "zh_CN": "针灸科"}), "needle"),
    ),
}

# (utility, account) -> holder (masked), period, amount, due
BILLS = {
    ("water", "10012345"): ("王**", {"en": "October 2026", "zh_CN": "2026年10月"}, "36.40",
                            date(2026, 12, 15)),
    ("electricity", "20098765"): ("李**", {"en": "October 2026", "zh_CN": "2026年10月"},
                                  "120.50", date(2026, 12, 20)),
}

# id number -> balance, spent this year, last claim date, amount, place
INSURANCE = {
    CITIZENS[0][0]: ("3260.80", "1180.00", date(2026, 10, 28), "268.50",
                     {"en": "Chaoyang Hospital", "zh_CN": "朝阳医院"}),
    CITIZENS[1][0]: ("5120.00", "240.00", date(2026, 9, 3), "86.00",
                     {"en": "Community Health Centre", "zh_CN": "社区卫生服务中心"}),
    CITIZENS[2][0]: ("1875.20", "2950.40", date(2026, 11, 2), "512.00",
                     {"en": "Hospital of Chinese Medicine", "zh_CN": "中医医院"}),
}

# Earlier applications a visitor can follow up: reference -> service, submitted, status, updated
APPLICATIONS = {
    "GL40172953": ("senior_allowance", date(2026, 11, 2), "in_review", date(2026, 11, 18)),
    "YL30458821": ("pension_check", date(2026, 10, 9), "approved", date(2026, 10, 16)),
    "BX52019934": ("report_problem", date(2026, 11, 20), "received", date(2026, 11, 20)),
}
