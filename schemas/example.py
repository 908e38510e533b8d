"""The sample branch 星河实验小学党支部: the example of the OpenAPI document's Dataset.

The same data as tests/fixtures/demo-branch.json (a test keeps the two equal); it lives here as well
because tests/ is not part of the installed package.
"""
from __future__ import annotations

import json

EXAMPLE: dict = json.loads(r'''{
  "schema_version": "1",
  "org": {
    "code": "WJ017",
    "name": "星河实验小学党支部",
    "full_name": "中共常州市武进区星河实验小学支部委员会",
    "unit_name": "常州市武进区星河实验小学",
    "org_type": "党支部",
    "secretary": "周建华",
    "contact_person": "陈晓燕",
    "contact_phone": "0519-86310611",
    "fill_date": "2023-07-10"
  },
  "members": [
    {
      "name": "周建华",
      "gender": "男",
      "ethnicity": "汉族",
      "id_number": "320412197204180239",
      "education": "研究生",
      "member_type": "正式党员",
      "join_date": "1996-06-28",
      "person_category": "在岗教职工",
      "job_post": "校长、党支部书记",
      "phone": "13900087109",
      "home_address": "江苏省常州市武进区湖塘镇花园街21号",
      "last_org_life_date": "2023-06-28",
      "last_dues_date": "2023-06",
      "verified": true,
      "full_member_date": "1997-06-28"
    },
    {
      "name": "陈晓燕",
      "gender": "女",
      "ethnicity": "汉族",
      "id_number": "320412198609020246",
      "education": "大学本科",
      "member_type": "正式党员",
      "join_date": "2010-05-20",
      "person_category": "在岗教职工",
      "job_post": "教导处副主任",
      "phone": "13900095028",
      "home_address": "江苏省常州市武进区湖塘镇花园街22号",
      "last_org_life_date": "2023-06-28",
      "last_dues_date": "2023-06",
      "verified": true,
      "full_member_date": "2011-05-20"
    },
    {
      "name": "王丽萍",
      "gender": "女",
      "ethnicity": "汉族",
      "id_number": "320412197911230266",
      "education": "大学本科",
      "member_type": "正式党员",
      "join_date": "2004-07-01",
      "person_category": "在岗教职工",
      "job_post": "专任教师",
      "phone": "13900102947",
      "home_address": "江苏省常州市武进区湖塘镇花园街23号",
      "last_org_life_date": "2023-06-28",
      "last_dues_date": "2023-06",
      "verified": true,
      "full_member_date": "2005-07-01"
    },
    {
      "name": "李志强",
      "gender": "男",
      "ethnicity": "汉族",
      "id_number": "320412196802140291",
      "education": "大学专科",
      "member_type": "正式党员",
      "join_date": "1992-12-10",
      "person_category": "离退休人员",
      "job_post": "退休教师",
      "phone": "13900110866",
      "home_address": "江苏省常州市武进区湖塘镇花园街24号",
      "last_org_life_date": "2023-06-28",
      "last_dues_date": "2023-06",
      "verified": true,
      "full_member_date": "1993-12-10",
      "outgoing": {
        "left_date": "2021-09",
        "destination": {
          "country": "中国",
          "province": "上海市",
          "city": "上海市",
          "county": "浦东新区",
          "detail": "随子女居住"
        },
        "reason": "异地居住",
        "fixed_place": true,
        "has_flow_card": false,
        "in_contact": true,
        "contact": "微信"
      }
    },
    {
      "name": "张敏",
      "gender": "女",
      "ethnicity": "汉族",
      "id_number": "320412199005300305",
      "education": "大学本科",
      "member_type": "正式党员",
      "join_date": "2015-06-18",
      "person_category": "在岗教职工",
      "job_post": "专任教师",
      "phone": "13900118785",
      "home_address": "江苏省常州市武进区湖塘镇花园街25号",
      "last_org_life_date": "2023-06-28",
      "last_dues_date": "2023-06",
      "verified": true,
      "full_member_date": "2016-06-18",
      "outgoing": {
        "left_date": "2023-02",
        "destination": {
          "country": "中国",
          "province": "江苏省",
          "city": "南京市",
          "county": "鼓楼区",
          "detail": "南京师范大学进修"
        },
        "reason": "学习进修",
        "fixed_place": false,
        "has_flow_card": true,
        "flow_card_no": "苏流2023-0017",
        "host_org": "南京师范大学教师进修学院党支部",
        "in_contact": true
      }
    },
    {
      "name": "赵国庆",
      "gender": "男",
      "ethnicity": "汉族",
      "id_number": "320412197510010334",
      "education": "大学本科",
      "member_type": "正式党员",
      "join_date": "2001-06-30",
      "person_category": "其他",
      "job_post": "无",
      "phone": "13900126704",
      "home_address": "江苏省常州市武进区湖塘镇花园街26号",
      "last_org_life_date": "2021-03-15",
      "last_dues_date": "2021-03",
      "verified": true,
      "full_member_date": "2002-06-30",
      "lost_contact": {
        "situation": "工作单位改变",
        "outcome": "取得联系",
        "contacted_date": "2023-07-08",
        "current_whereabouts": "江苏省无锡市某科技有限公司",
        "contact": "13961234567",
        "handling": "转移组织关系"
      }
    },
    {
      "name": "孙海燕",
      "gender": "女",
      "ethnicity": "汉族",
      "id_number": "320412198303080342",
      "education": "大学本科",
      "member_type": "正式党员",
      "join_date": "2008-11-12",
      "person_category": "其他",
      "job_post": "无",
      "phone": "13900134623",
      "home_address": "江苏省常州市武进区湖塘镇花园街27号",
      "last_org_life_date": "2020-10-20",
      "last_dues_date": "2020-09",
      "verified": true,
      "full_member_date": "2009-11-12",
      "lost_contact": {
        "situation": "居住地改变",
        "outcome": "无法取得联系",
        "current_whereabouts": "原住址已拆迁，去向不明",
        "search_record": [
          {
            "date": "2023-07-03",
            "method": "拨打预留电话",
            "result": "号码已停机"
          },
          {
            "date": "2023-07-05",
            "method": "走访原住址及亲属",
            "result": "亲属称多年未联系"
          },
          {
            "date": "2023-07-10",
            "method": "请派出所协查",
            "result": "户籍已迁出本市，未获现住址"
          }
        ]
      }
    },
    {
      "name": "吴晓东",
      "gender": "男",
      "ethnicity": "汉族",
      "id_number": "320412198812120373",
      "education": "大学本科",
      "member_type": "正式党员",
      "join_date": "2014-06-25",
      "person_category": "其他",
      "job_post": "无",
      "phone": "13900142542",
      "home_address": "江苏省常州市武进区湖塘镇花园街28号",
      "last_org_life_date": "2023-06-28",
      "last_dues_date": "2023-06",
      "verified": true,
      "full_member_date": "2015-06-25",
      "hanging": {
        "reason": "2019年调离本校至常州市第一中学，组织关系未转出",
        "resolved": true,
        "resolution": "已转至常州市第一中学党委第二党支部",
        "resolved_date": "2023-07-06"
      }
    },
    {
      "name": "郑雅文",
      "gender": "女",
      "ethnicity": "汉族",
      "id_number": "320412199408160386",
      "education": "大学本科",
      "member_type": "正式党员",
      "join_date": "2019-05-30",
      "person_category": "在岗教职工",
      "job_post": "专任教师",
      "phone": "13900150461",
      "home_address": "江苏省常州市武进区湖塘镇花园街29号",
      "last_org_life_date": "2022-08-25",
      "last_dues_date": "2023-06",
      "verified": true,
      "full_member_date": "2020-05-30",
      "abroad": {
        "kind": "留学",
        "since": "2022-09",
        "country": "英国",
        "procedures_done": true,
        "handling": "保留组织关系"
      }
    },
    {
      "name": "冯伟",
      "gender": "男",
      "ethnicity": "汉族",
      "id_number": "320412199201270414",
      "education": "大学本科",
      "member_type": "正式党员",
      "join_date": "2018-06-21",
      "person_category": "在岗教职工",
      "job_post": "专任教师",
      "phone": "13900158380",
      "home_address": "江苏省常州市武进区湖塘镇花园街30号",
      "last_org_life_date": "2023-06-28",
      "last_dues_date": "2023-06",
      "verified": true,
      "full_member_date": "2019-06-21",
      "transfer_out": {
        "date": "2023-03-15",
        "to_org": "常州市武进区实验初级中学党支部",
        "receipt_received": false
      }
    },
    {
      "name": "何静",
      "gender": "女",
      "ethnicity": "汉族",
      "id_number": "320412199707070428",
      "education": "大学本科",
      "member_type": "预备党员",
      "join_date": "2022-12-16",
      "person_category": "在岗教职工",
      "job_post": "专任教师",
      "phone": "13900166299",
      "home_address": "江苏省常州市武进区湖塘镇花园街31号",
      "last_org_life_date": "2023-06-28",
      "last_dues_date": "2023-06",
      "verified": true
    },
    {
      "name": "马骏",
      "gender": "男",
      "ethnicity": "回族",
      "id_number": "32041219950321045X",
      "education": "大学本科",
      "member_type": "正式党员",
      "join_date": "2022-06-10",
      "person_category": "在岗教职工",
      "job_post": "专任教师",
      "phone": "13900174218",
      "home_address": "江苏省常州市武进区湖塘镇花园街32号",
      "last_org_life_date": "2023-06-28",
      "last_dues_date": "2023-06",
      "verified": true,
      "full_member_date": "2023-06-10"
    }
  ],
  "work_plan": {
    "date": "2023-06-16",
    "leading_group": [
      {
        "name": "周建华",
        "role": "组长",
        "duty": "全面负责排查工作"
      },
      {
        "name": "王丽萍",
        "role": "副组长",
        "duty": "具体组织实施"
      },
      {
        "name": "陈晓燕",
        "role": "成员",
        "duty": "信息核对与材料报送"
      }
    ]
  },
  "stage_summary": {
    "date": "2023-07-21"
  },
  "final_report": {
    "date": "2023-10-12"
  }
}
''')
