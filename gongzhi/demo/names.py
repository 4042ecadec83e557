"""Made-up names for demo data. Surnames and characters are common ones; no real person is described."""

from __future__ import annotations

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍鹏建华辉玲婷健俊帆海燕红梅雪峰波宁"
    "鑫浩宇欣怡子涵梓轩思远嘉琪晨阳佳怡文博雨萱皓然一鸣志强国庆淑珍春梅秋菊立新卫东建国振华"
)
ROADS = (
    "香港中路",
    "香港西路",
    "东海西路",
    "东海中路",
    "云南路",
    "江苏路",
    "金湖路",
    "金门路",
    "珠海路",
    "湛山二路",
    "太平角一路",
    "福州南路",
    "南京路",
    "宁夏路",
    "延安三路",
    "燕儿岛路",
    "山东路",
    "闽江路",
    "漳州路",
    "彰化路",
    "徐州路",
    "澳门路",
    "南海路",
    "莱阳路",
    "大学路",
    "中山路",
    "德县路",
    "观海路",
    "贵州路",
    "西藏路",
    "广州路",
    "宁波路",
    "郯城路",
    "汶上路",
    "团岛路",
    "四川路",
    "镇江路",
    "仙游路",
)
SUFFIXES = ("小区", "花园", "新村", "公寓", "家园", "苑", "雅居", "里院", "嘉园", "名邸", "华庭", "海景园")


def person_name(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.55:
        return surname + GIVEN[rng.randrange(len(GIVEN))] + GIVEN[rng.randrange(len(GIVEN))]
    return surname + GIVEN[rng.randrange(len(GIVEN))]


def compound_name(rng: random.Random, taken: set[str]) -> str:
    for _ in range(50):
        road = rng.choice(ROADS)
        style = rng.random()
        if style < 0.35:
            name = f"{road}{rng.randint(1, 120)}号院"
        elif style < 0.7:
            name = f"{road[:-1]}{rng.choice(SUFFIXES)}"
        else:
            name = f"{road[:2]}{rng.choice(SUFFIXES)}{rng.choice('一二三四五')}期"
        if name not in taken:
            taken.add(name)
            return name
    name = f"{rng.choice(ROADS)}{len(taken) + 1}号院"
    taken.add(name)
    return name
