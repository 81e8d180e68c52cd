"""The 抽查通知书 an entity receives before a joint visit: items, window, methods, documents
to prepare, and that refusing to cooperate is published."""

from shuangsuiji.assignments.models import Visit
from shuangsuiji.assignments.sheet import Sheet, Table
from shuangsuiji.companies.tokens import notice_token, sign_in_address

TITLE = "“双随机、一公开”抽查通知书"
DOCUMENTS = (
    "请准备：营业执照（或登记证书）及相关许可证件；法定代表人（负责人）身份证明；"
    "与检查事项有关的台账、记录、合同、票据等材料；委托他人配合检查的，出具授权委托书。"
)
REFUSAL = (
    "根据《企业信息公示暂行条例》和《市场监督管理行政处罚程序规定》，被抽查对象应当配合检查，"
    "如实提供有关情况和材料；不予配合情节严重的，将通过国家企业信用信息公示系统向社会公示，"
    "并依法予以处理。"
)
SIGNATURES = "（发起部门盖章）                    年    月    日"


def notice_content(
    visit: Visit,
    items: list[dict[str, str]],
    code: str = "",
    url: str = "",
    qr: bytes | None = None,
    rating: str = "",
    sign_in_token: str | None = None,
) -> Sheet:
    """The notice; with the visit's inspection code, its line and QR image (扫码入企): the
    company checks the visit and the team from the code before letting anyone in. With the
    code, the company's one-time sign-in token too (`sign_in_token` None: the visit's current
    one; "": none, for the company's own copy)."""
    token = notice_token(visit) if code and sign_in_token is None else sign_in_token or ""
    entity = visit.entity
    departments = "、".join(d.short_name for d in visit.departments.order_by("pk"))
    return Sheet(
        title=TITLE,
        lines=[
            f"{entity.name}（统一社会信用代码 {entity.uscc}）：",
            f"根据{visit.assignment.plan.title}，经随机抽取，你单位被确定为本次抽查对象。"
            f"{departments}将于 {visit.window_start} 至 {visit.window_end} 期间对你单位进行联合检查"
            f"（检查编号 {visit.code}），请予配合。",
            *(
                [
                    f"检查码 {code}：检查前请扫描下方二维码或访问 {url}，核对本次检查和检查人员；"
                    "未出示检查码或人员与登记不符的，可以拒绝检查。",
                ]
                if code
                else []
            ),
            *(
                [
                    f"评价码 {rating}：检查结束后可在同一页面凭评价码评价本次检查"
                    "（不署名，检查部门看不到单次检查的评价）。",
                ]
                if code and rating
                else []
            ),
            *(
                ["（本份不含评价码和企业端登录令牌：送达企业的通知书由牵头部门或检查组出具。）"]
                if code and not rating and not token
                else []
            ),
            *(
                [
                    f"企业端登录令牌 {token}：凭统一社会信用代码和本令牌登录"
                    f" {sign_in_address(url)}，查看通知书和检查结果、预约检查时段、"
                    "评价检查、对公示结果提出异议；令牌仅能使用一次。"
                ]
                if token
                else []
            ),
        ],
        image=qr,
        tables=[
            Table(
                "检查事项与方式",
                ["抽查任务", "检查事项", "检查方式", "检查依据"],
                [[i["task"], i["name"], i["method"], i["basis"]] for i in items],
            )
        ],
        closing=[DOCUMENTS, REFUSAL, SIGNATURES],
    )
