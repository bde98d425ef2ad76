"""A school's own Word templates: checking an upload, filling it with a paper's data, and the
starter template that shows every placeholder of a kind in the official layout.

Templates are .docx files with Jinja placeholders (docxtpl): `{{ trich_yeu }}`, loops over lists
with `{%p for y in y_kien %}…{%p endfor %}` (paragraphs) or `{%tr for … %}` (table rows). Values
are escaped for Word XML ("Sở GD&ĐT" stays readable). A template is untrusted code: only the
documented constructs pass the upload check, and filling runs in a sandbox (`papers.sandbox`).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError, meta
from jinja2.sandbox import SecurityError

from core.errors import DomainError
from core.uploads import ArchiveRefused, DamagedArchive, check_package
from papers.layout import Heading, Paper, Para, Table, _font, render_docx
from papers.models import PaperTemplate
from papers.placeholders import COMMON
from papers.registry import PaperKind
from papers.sandbox import ANY_FIELD, Forbidden, check_syntax, environment, plain

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
# The XML of one part (the body is the largest): a template is a page or two of layout.
MAX_PART_BYTES = 16 * 1024 * 1024
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


class TemplateRejected(DomainError):
    """The upload is not a template this kind can use; the message says why, in Vietnamese."""


def active_template(school: Any, kind_code: str) -> Any:
    """The school's template in use for the kind, or None (the built-in layout applies)."""
    if school is None:
        return None
    template = PaperTemplate.objects.filter(school=school, kind=kind_code, is_active=True).first()
    if template is None:
        return None
    return _Stored(template)


class _Stored:
    def __init__(self, template: Any) -> None:
        self.template = template

    def read(self) -> bytes:
        with self.template.file.open("rb") as handle:
            return bytes(handle.read())


FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# The document properties docxtpl fills as templates too (docxtpl.template.render_properties).
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


def template_sources(template: DocxTemplate) -> list[str]:
    """Every text docxtpl renders as Jinja: the body, headers, footers, footnotes, properties."""
    document = template.get_docx()
    sources = [template.patch_xml(template.get_xml())]
    for relation in document.part.rels.values():
        if relation.reltype in (RT.HEADER, RT.FOOTER) and relation.target_part.blob:
            xml = template.xml_to_string(parse_xml(relation.target_part.blob))
            sources.append(template.patch_xml(xml))
    for part in document.part.package.parts:
        if part.content_type == FOOTNOTES:
            sources.append(template.patch_xml(part.blob.decode("utf-8")))
    properties = document.core_properties
    sources.extend(getattr(properties, name) or "" for name in PROPERTIES)
    return sources


def _row_fields(context: dict[str, Any]) -> Any:
    """The fields of each list placeholder's rows, read from the data being filled."""

    def fields_of(name: str) -> frozenset[str] | set[str] | None:
        value = context.get(name)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return {key for row in value if isinstance(row, dict) for key in row}
        return ANY_FIELD if value == [] else None

    return fields_of


def fill(data: bytes, context: dict[str, Any], *, strict: bool = False) -> bytes:
    """The template filled in the sandbox; TemplateRejected if it uses anything not allowed.

    The syntax is checked again here, not only at upload: a template stored before the check
    existed must not run either.
    """
    values = plain(context)
    _check_package(data)  # stored templates too: some were uploaded before the bounds existed
    template = DocxTemplate(io.BytesIO(data))
    try:
        check_syntax(template_sources(template), _row_fields(values))
        # Without `strict`, a placeholder without data prints nothing (the upload check catches
        # typos).
        template.render(values, jinja_env=environment(strict=strict), autoescape=True)
    except (Forbidden, SecurityError) as error:
        raise TemplateRejected(str(error)) from error
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def _check_package(data: bytes) -> None:
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateRejected(
            _("Tệp mẫu lớn hơn %(mb)s MB; hãy bỏ bớt ảnh hoặc nén ảnh trong Word.")
            % {"mb": MAX_TEMPLATE_BYTES // (1024 * 1024)}
        )
    not_docx = _(
        "Tệp không phải văn bản Word .docx (hãy lưu lại bằng Word: Tệp → Lưu thành → .docx)."
    )
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateRejected(not_docx)
    try:
        with check_package(
            data, max_member=MAX_PART_BYTES, max_total=MAX_UNPACKED_BYTES
        ) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise TemplateRejected(not_docx)
            if sum(info.file_size for info in package.infolist()) > MAX_UNPACKED_BYTES:
                raise TemplateRejected(_("Tệp mẫu giải nén ra quá lớn; không nhận."))
            types = package.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, DamagedArchive) as error:
        raise TemplateRejected(not_docx) from error
    except ArchiveRefused as error:
        raise TemplateRejected(str(error)) from error
    if "word/vbaProject.bin" in names or "macroEnabled" in types:
        raise TemplateRejected(_("Tệp có macro (.docm); chỉ nhận văn bản .docx không có macro."))
    if DOCX_MAIN not in types:
        raise TemplateRejected(not_docx)


def _snippet(data: bytes, error: TemplateSyntaxError) -> str:
    """The text around a syntax error, found by parsing each part again (nothing is rendered)."""
    env = environment()
    try:
        sources = template_sources(DocxTemplate(io.BytesIO(data)))
    except Exception:  # only looking for a snippet
        return ""
    for source in sources:
        try:
            env.parse(source)
        except TemplateSyntaxError as found:
            lines = source.splitlines()[max((found.lineno or 1) - 4, 0) : (found.lineno or 1) + 3]
            text = " ".join(" ".join(re.sub(r"<[^>]+>", "", line) for line in lines).split())
            return text[:200]
    return ""


def known_placeholders(kind: PaperKind, sample: Any = None) -> dict[str, str]:
    """Every placeholder of the kind with its description (common, then the kind's own)."""
    known = {**COMMON, **dict(kind.placeholders)}
    if sample is not None:
        for key in kind.context(sample):
            known.setdefault(key, "")
    return known


def check_template(data: bytes, kind: PaperKind, sample: Any = None) -> list[str]:
    """The placeholders the template uses, or TemplateRejected saying in Vietnamese what is wrong.

    `sample` is the school's latest object of the kind: the template is filled with its data,
    with every placeholder required to exist.
    """
    _check_package(data)
    try:
        template = DocxTemplate(io.BytesIO(data))
        sources = template_sources(template)
        used = set()
        for source in sources:
            used |= meta.find_undeclared_variables(environment().parse(source))
    except TemplateSyntaxError as error:
        snippet = _snippet(data, error)
        where = _(" Đoạn có lỗi: “%(text)s”.") % {"text": snippet} if snippet else ""
        raise TemplateRejected(
            _("Mẫu có lỗi cú pháp chỗ trống: %(error)s.%(where)s")
            % {"error": error.message, "where": where}
        ) from error
    except TemplateError as error:
        raise TemplateRejected(_("Mẫu không đọc được: %(error)s.") % {"error": error}) from error
    except Exception as error:  # a package python-docx cannot open
        raise TemplateRejected(
            _("Không mở được tệp mẫu bằng Word: %(error)s.") % {"error": error}
        ) from error
    try:
        check_syntax(sources, lambda name: set(_fields(kind, sample, name)))
    except Forbidden as error:
        raise TemplateRejected(str(error)) from error
    known = known_placeholders(kind, sample)
    if kind.placeholders or sample is not None:
        unknown = sorted(set(used) - set(known))
        if unknown:
            raise TemplateRejected(
                _(
                    "Mẫu dùng chỗ trống không có trong “%(kind)s”: %(names)s. Xem danh sách chỗ trống hợp lệ bên dưới."
                )
                % {"kind": kind.label, "names": ", ".join(f"{{{{ {name} }}}}" for name in unknown)}
            )
    if sample is not None:
        try:
            fill(data, kind.context(sample), strict=True)
        except TemplateRejected:
            raise
        except UndefinedError as error:
            raise TemplateRejected(
                _("Mẫu dùng dữ liệu không có khi điền thử với dữ liệu của trường: %(error)s.")
                % {"error": error.message}
            ) from error
        except Exception as error:  # any failure to fill is a rejection
            raise TemplateRejected(
                _("Không điền thử được mẫu với dữ liệu của trường: %(error)s.") % {"error": error}
            ) from error
    return sorted(used)


def _fields(kind: PaperKind, sample: Any, key: str) -> list[str]:
    """The keys of one row of a list placeholder: from the sample's data, else the description."""
    if sample is not None:
        value = kind.context(sample).get(key)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return list(value[0])
    description = kind.placeholders.get(key, "")
    match = re.search(r"có ([a-z_, ]+)$", description)
    return [name.strip() for name in match.group(1).split(",")] if match else []


FIXED_WIDTHS_MM = {"stt": 12.0, "so": 12.0, "ma": 14.0, "han": 25.0, "thoi_gian": 33.0}
NARROW = {"co_mat", "tan_thanh", "khong_tan_thanh", "khong_bieu_quyet", "don_vi_tinh"}
NARROW |= {"nam_truoc", "nam_nay", "ket_qua", "hinh_thuc", "thuc_hien"}


def _widths(fields: list[str], total: float = 165) -> list[float]:
    """Numbers, codes, dates and counts narrow; texts share the rest of the line."""
    fixed = [FIXED_WIDTHS_MM.get(name, 18.0 if name in NARROW else 0.0) for name in fields]
    if sum(fixed) >= total * 0.8:  # too many narrow columns: share equally
        return [total / len(fields)] * len(fields)
    wide = fixed.count(0.0)
    rest = (total - sum(fixed)) / wide if wide else 0.0
    if not wide:
        return [width * total / sum(fixed) for width in fixed]
    return [width or rest for width in fixed]


def _literal(text: str) -> str:
    """Text shown as written in a template (docxtpl turns "{_{" back into "{{" after filling)."""
    return text.replace("{{", "{_{").replace("}}", "}_}").replace("{%", "{_%").replace("%}", "%_}")


def starter_template(kind: PaperKind, sample: Any = None) -> bytes:
    """A .docx in the official layout that uses every placeholder of the kind, to start from."""
    own = {k: v for k, v in known_placeholders(kind, sample).items() if k not in COMMON}
    blocks: list[Heading | Para | Table] = [
        Para(
            "Mẫu khởi đầu: sửa bố cục, chữ cố định tùy ý; giữ nguyên các chỗ trống trong "
            "ngoặc nhọn. Xóa đoạn hướng dẫn này trước khi tải lên.",
            italic=True,
        ),
        Heading("Nội dung như bản dựng sẵn"),
        Para("{%p for doan in noi_dung %}", indent=False),
        Para("{{ doan }}"),
        Para("{%p endfor %}", indent=False),
    ]
    if own:
        blocks.append(Heading("Chỗ trống riêng của loại giấy tờ này"))
    for key, text in own.items():
        description = _literal(text) or key
        fields = _fields(kind, sample, key)
        is_list = bool(fields) or "Danh sách" in description or "mỗi" in description
        if not is_list and sample is not None:
            is_list = isinstance(kind.context(sample).get(key), list)
        if fields:
            blocks.append(Para(f"{description}:", italic=True, indent=False))
            first = [f"{{%tr for dong in {key} %}}"] + [""] * (len(fields) - 1)
            last = ["{%tr endfor %}"] + [""] * (len(fields) - 1)
            values = [f"{{{{ dong.{name} }}}}" for name in fields]
            blocks.append(Table(fields, [first, values, last], _widths(fields)))
        elif is_list:
            blocks.append(Para(f"{description}:", italic=True, indent=False))
            blocks.append(Para(f"{{%p for dong in {key} %}}", indent=False))
            blocks.append(Para("- {{ dong }}", indent=False))
            blocks.append(Para("{%p endfor %}", indent=False))
        else:
            blocks.append(Para(f"{{{{ {key} }}}}", lead=f"{description}: ", indent=False))
    paper = Paper(
        parent_body="{{ co_quan_chu_quan|upper }}",
        issuing_body="{{ co_quan_ban_hanh|upper }}",
        number_line="{{ so_ky_hieu }}",
        place="",
        date=None,
        date_line="{{ dia_danh_ngay }}",
        type_name="{{ ten_loai|upper }}",
        summary="{{ trich_yeu }}",
        blocks=blocks,
        signing_mark="{{ quyen_han_ky }}",
        signer_title="{{ chuc_vu_ky|upper }}",
        signer_name="{{ nguoi_ky }}",
        recipients=["{{ n }}"],
        verbatim=True,
    )
    data = render_docx(paper)
    return _loop_recipients(data)


def _loop_recipients(data: bytes) -> bytes:
    """Wrap the one recipient line in a paragraph loop over `noi_nhan`."""
    document = Document(io.BytesIO(data))
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if paragraph.text == "- {{ n }}":
                        before = paragraph.insert_paragraph_before()
                        _font(before.add_run("{%p for n in noi_nhan %}"), 11)
                        after = cell.add_paragraph()
                        _font(after.add_run("{%p endfor %}"), 11)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
