import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.people.identity import clean_id_number, with_check_character
from gongzhi.people.masking import mask_id_number, mask_name, mask_phone
from gongzhi.people.services import person_create
from gongzhi.tests.factories import SYSTEM


def test_masks():
    assert mask_id_number("37020219800101123X") == "370202********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_id_number(None) == "" and mask_phone("") == ""


@given(
    st.from_regex(
        r"[1-6][0-9]{5}(19[5-9][0-9]|200[0-5])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}", fullmatch=True
    )
)
def test_generated_numbers_validate_and_one_changed_digit_fails(first17):
    number = with_check_character(first17)
    assert clean_id_number(number) == number
    wrong = "0" if number[-1] != "0" else "1"
    with pytest.raises(ValidationError):
        clean_id_number(number[:-1] + wrong)


@pytest.mark.django_db
def test_person_create_rejects_bad_id_and_writes_nothing():
    from gongzhi.people.models import Person

    with pytest.raises(ValidationError, match="身份证号"):
        person_create(actor=SYSTEM, name="张伟", id_number="370202198001011230")
    assert Person.objects.count() == 0
    # The standard's own example number ends in the check character X; lower case is accepted.
    p = person_create(actor=SYSTEM, name="张伟", id_number="11010519491231002x")
    assert p.id_number == "11010519491231002X" and p.initials == "zw"
