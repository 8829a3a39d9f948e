"""Profile questionnaires: their questions and answers, and the answers of contacts.

An answer's code is unique within its questionnaire, so ``QUESTIONNAIRE:ANSWER``
names one answer; the CSV import and ``--filter profile=...`` use that form.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import JOIN, fn

from segtui.db import write_transaction
from segtui.domain.classifications import check_code
from segtui.domain.contacts import get_contact
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.text import clean_line
from segtui.domain.users import Permission, require
from segtui.i18n import _, format_count, ngettext
from segtui.models import (
    ContactProfileAnswer,
    ProfileAnswer,
    ProfileQuestion,
    ProfileQuestionnaire,
)


@dataclass(frozen=True)
class QuestionnaireRow:
    code: str
    description: str
    questions: int


def list_questionnaires() -> list[QuestionnaireRow]:
    counts = (
        ProfileQuestion.select(
            ProfileQuestion.questionnaire, fn.COUNT(ProfileQuestion.id).alias("n")
        )
        .group_by(ProfileQuestion.questionnaire)
        .alias("counts")
    )
    query = (
        ProfileQuestionnaire.select(
            ProfileQuestionnaire.code,
            ProfileQuestionnaire.description,
            fn.COALESCE(counts.c.n, 0),
        )
        .join(
            counts,
            on=(counts.c.questionnaire_code == ProfileQuestionnaire.code),
            join_type=JOIN.LEFT_OUTER,
        )
        .order_by(ProfileQuestionnaire.code)
        .tuples()
    )
    return [QuestionnaireRow(code, text, int(n)) for code, text, n in query]


def save_questionnaire(code: str, description: str, *, user: str, new: bool) -> str:
    require(user, Permission.ADMINISTRATION, _("change setup tables"))
    code = check_code(code) if new else clean_line(code).upper()
    description = clean_line(description)
    with write_transaction():
        exists = ProfileQuestionnaire.get_or_none(ProfileQuestionnaire.code == code)
        if new and exists:
            raise InvalidValueError(
                _("Questionnaire {code} already exists; pick another code.").format(
                    code=code
                )
            )
        if new:
            ProfileQuestionnaire.create(code=code, description=description)
        elif exists is None:
            raise NotFoundError(
                _("Questionnaire {code} does not exist.").format(code=code)
            )
        else:
            ProfileQuestionnaire.update(description=description).where(
                ProfileQuestionnaire.code == code
            ).execute()
    return code


def _answers_in_use(where: object) -> int:
    return (
        ContactProfileAnswer.select()
        .join(ProfileAnswer)
        .where(where)  # type: ignore[arg-type]
        .count()
    )


def delete_questionnaire(code: str, *, user: str) -> None:
    """Delete a questionnaire with its questions and answers, if no contact answered."""
    require(user, Permission.ADMINISTRATION, _("change setup tables"))
    code = clean_line(code).upper()
    with write_transaction():
        if ProfileQuestionnaire.get_or_none(ProfileQuestionnaire.code == code) is None:
            raise NotFoundError(
                _("Questionnaire {code} does not exist.").format(code=code)
            )
        used = _answers_in_use(ProfileAnswer.questionnaire == code)
        if used:
            raise InvalidValueError(
                ngettext(
                    "Questionnaire {code} has {count} answer of a contact, so it "
                    "cannot be deleted; remove that answer first.",
                    "Questionnaire {code} has {count} answers of contacts, so it cannot "
                    "be deleted; remove those answers first.",
                    used,
                ).format(code=code, count=format_count(used))
            )
        ProfileAnswer.delete().where(ProfileAnswer.questionnaire == code).execute()
        ProfileQuestion.delete().where(ProfileQuestion.questionnaire == code).execute()
        ProfileQuestionnaire.delete().where(ProfileQuestionnaire.code == code).execute()


@dataclass(frozen=True)
class AnswerRow:
    id: int
    question_id: int
    question_code: str
    question: str
    code: str
    description: str


def questionnaire_lines(code: str) -> list[AnswerRow]:
    """Return a questionnaire's questions and answers in order.

    A question without answers has one row with id 0 and a blank code.
    """
    code = code.strip().upper()
    rows = []
    questions = (
        ProfileQuestion.select()
        .where(ProfileQuestion.questionnaire == code)
        .order_by(ProfileQuestion.sequence, ProfileQuestion.code)
    )
    for question in questions:
        answers = list(
            ProfileAnswer.select()
            .where(ProfileAnswer.question == question.id)
            .order_by(ProfileAnswer.sequence, ProfileAnswer.code)
        )
        if not answers:
            rows.append(
                AnswerRow(0, question.id, question.code, question.description, "", "")
            )
        rows.extend(
            AnswerRow(
                answer.id,
                question.id,
                question.code,
                question.description,
                answer.code,
                answer.description,
            )
            for answer in answers
        )
    return rows


def save_question(questionnaire: str, code: str, description: str, *, user: str) -> int:
    """Create a question, or change the description of the question with that code."""
    require(user, Permission.ADMINISTRATION, _("change setup tables"))
    questionnaire = questionnaire.strip().upper()
    code = check_code(code)
    description = clean_line(description)
    with write_transaction():
        if (
            ProfileQuestionnaire.get_or_none(ProfileQuestionnaire.code == questionnaire)
            is None
        ):
            raise NotFoundError(
                _("Questionnaire {code} does not exist.").format(code=questionnaire)
            )
        question = ProfileQuestion.get_or_none(
            (ProfileQuestion.questionnaire == questionnaire)
            & (ProfileQuestion.code == code)
        )
        if question is not None:
            question.description = description
            question.save()
            return int(question.id)
        last = (
            ProfileQuestion.select(fn.MAX(ProfileQuestion.sequence))
            .where(ProfileQuestion.questionnaire == questionnaire)
            .scalar()
        )
        created = ProfileQuestion.create(
            questionnaire=questionnaire,
            code=code,
            description=description,
            sequence=(last or 0) + 10,
        )
        return int(created.id)


def delete_question(question_id: int, *, user: str) -> None:
    require(user, Permission.ADMINISTRATION, _("change setup tables"))
    with write_transaction():
        question = ProfileQuestion.get_or_none(ProfileQuestion.id == question_id)
        if question is None:
            raise NotFoundError(
                _("Question {id} does not exist.").format(id=question_id)
            )
        used = _answers_in_use(ProfileAnswer.question == question_id)
        if used:
            raise InvalidValueError(
                ngettext(
                    "Question {code} has {count} answer of a contact, so it cannot be "
                    "deleted; remove that answer first.",
                    "Question {code} has {count} answers of contacts, so it cannot be "
                    "deleted; remove those answers first.",
                    used,
                ).format(code=question.code, count=format_count(used))
            )
        ProfileAnswer.delete().where(ProfileAnswer.question == question_id).execute()
        question.delete_instance()


def save_answer(question_id: int, code: str, description: str, *, user: str) -> int:
    """Create an answer to a question, or change the description of an existing one.

    An answer code is unique within the questionnaire, across its questions.
    """
    require(user, Permission.ADMINISTRATION, _("change setup tables"))
    code = check_code(code)
    description = clean_line(description)
    with write_transaction():
        question = ProfileQuestion.get_or_none(ProfileQuestion.id == question_id)
        if question is None:
            raise NotFoundError(
                _("Question {id} does not exist.").format(id=question_id)
            )
        existing = ProfileAnswer.get_or_none(
            (ProfileAnswer.questionnaire == question.questionnaire_code)
            & (ProfileAnswer.code == code)
        )
        if existing is not None and existing.question_id != question.id:
            raise InvalidValueError(
                _(
                    "Answer {code} already exists for another question of "
                    "questionnaire {questionnaire}; pick another code."
                ).format(code=code, questionnaire=question.questionnaire_code)
            )
        if existing is not None:
            existing.description = description
            existing.save()
            return int(existing.id)
        last = (
            ProfileAnswer.select(fn.MAX(ProfileAnswer.sequence))
            .where(ProfileAnswer.question == question.id)
            .scalar()
        )
        created = ProfileAnswer.create(
            questionnaire=question.questionnaire_code,
            question=question.id,
            code=code,
            description=description,
            sequence=(last or 0) + 10,
        )
        return int(created.id)


def delete_answer(answer_id: int, *, user: str) -> None:
    require(user, Permission.ADMINISTRATION, _("change setup tables"))
    with write_transaction():
        answer = ProfileAnswer.get_or_none(ProfileAnswer.id == answer_id)
        if answer is None:
            raise NotFoundError(_("Answer {id} does not exist.").format(id=answer_id))
        used = (
            ContactProfileAnswer.select()
            .where(ContactProfileAnswer.answer == answer_id)
            .count()
        )
        if used:
            raise InvalidValueError(
                ngettext(
                    "Answer {code} was given by {count} contact, so it cannot be "
                    "deleted; remove it from that contact first.",
                    "Answer {code} was given by {count} contacts, so it cannot be "
                    "deleted; remove it from them first.",
                    used,
                ).format(code=answer.code, count=format_count(used))
            )
        answer.delete_instance()


# A contact's answers.


@dataclass(frozen=True)
class ContactAnswer:
    questionnaire: str
    question: str
    answer: str
    description: str

    @property
    def key(self) -> str:
        return f"{self.questionnaire}:{self.answer}"


def contact_answers(contact_no: str) -> list[ContactAnswer]:
    query = (
        ContactProfileAnswer.select(
            ProfileAnswer.questionnaire,
            ProfileQuestion.code,
            ProfileAnswer.code,
            ProfileAnswer.description,
        )
        .join(ProfileAnswer)
        .join(ProfileQuestion)
        .where(ContactProfileAnswer.contact == contact_no)
        .order_by(
            ProfileAnswer.questionnaire,
            ProfileQuestion.sequence,
            ProfileAnswer.sequence,
        )
        .tuples()
    )
    return [ContactAnswer(*row) for row in query]


def find_answer(key: str) -> ProfileAnswer:
    """Return the answer named ``QUESTIONNAIRE:ANSWER``."""
    questionnaire, colon, code = clean_line(key).upper().partition(":")
    if not colon or not questionnaire or not code:
        raise InvalidValueError(
            _(
                "Profile answer {value!r} is not QUESTIONNAIRE:ANSWER, such as "
                "SIZE:LARGE."
            ).format(value=key)
        )
    answer = ProfileAnswer.get_or_none(
        (ProfileAnswer.questionnaire == questionnaire) & (ProfileAnswer.code == code)
    )
    if answer is None:
        raise NotFoundError(
            _("Questionnaire {questionnaire} has no answer {code}.").format(
                questionnaire=questionnaire, code=code
            )
        )
    return answer


def add_contact_answer(contact_no: str, key: str, *, user: str) -> None:
    require(user, Permission.MARKETING, _("change contacts"))
    with write_transaction():
        contact = get_contact(contact_no)
        answer = find_answer(key)
        (
            ContactProfileAnswer.insert(contact=contact.no, answer=answer.id)
            .on_conflict_ignore()
            .execute()
        )


def remove_contact_answer(contact_no: str, key: str, *, user: str) -> None:
    require(user, Permission.MARKETING, _("change contacts"))
    with write_transaction():
        contact = get_contact(contact_no)
        answer = find_answer(key)
        deleted = (
            ContactProfileAnswer.delete()
            .where(
                (ContactProfileAnswer.contact == contact.no)
                & (ContactProfileAnswer.answer == answer.id)
            )
            .execute()
        )
        if not deleted:
            raise NotFoundError(
                _("Contact {no} has no profile answer {key}.").format(
                    no=contact.no, key=key.upper()
                )
            )
