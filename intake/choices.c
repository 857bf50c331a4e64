/*
 * choices.c: the report form's fixed answers (see choices.h).
 */
#include "choices.h"

#include <string.h>

static const choice categories[] = {
    [VOCAB_CATEGORY_HARASSMENT] = {M_CAT_HARASSMENT, M_CAT_HARASSMENT_HINT},
    [VOCAB_CATEGORY_SEXUAL_HARASSMENT] = {M_CAT_SEXUAL_HARASSMENT, M_CAT_SEXUAL_HARASSMENT_HINT},
    [VOCAB_CATEGORY_BULLYING] = {M_CAT_BULLYING, M_CAT_BULLYING_HINT},
    [VOCAB_CATEGORY_DISCRIMINATION] = {M_CAT_DISCRIMINATION, M_CAT_DISCRIMINATION_HINT},
    [VOCAB_CATEGORY_SEXUAL_EXPLOITATION_ABUSE] = {M_CAT_SEA, M_CAT_SEA_HINT},
    [VOCAB_CATEGORY_OTHER] = {M_CAT_OTHER, M_CAT_OTHER_HINT},
};

static const choice sexes[] = {
    [VOCAB_SEX_FEMALE] = {M_SEX_FEMALE, M_LANG_CODE},
    [VOCAB_SEX_MALE] = {M_SEX_MALE, M_LANG_CODE},
    [VOCAB_SEX_OTHER] = {M_SEX_OTHER, M_LANG_CODE},
};

static const choice age_bands[] = {
    [VOCAB_AGE_UNDER_25] = {M_AGE_UNDER_25, M_LANG_CODE},
    [VOCAB_AGE_25_34] = {M_AGE_25_34, M_LANG_CODE},
    [VOCAB_AGE_35_44] = {M_AGE_35_44, M_LANG_CODE},
    [VOCAB_AGE_45_54] = {M_AGE_45_54, M_LANG_CODE},
    [VOCAB_AGE_55_PLUS] = {M_AGE_55_PLUS, M_LANG_CODE},
};

/* A value added to a vocabulary needs its words here (a gap in the middle is caught by
 * tests/test_vocab.c: its name would be M_LANG_CODE). */
_Static_assert(sizeof categories / sizeof categories[0] == VOCAB_CATEGORY_COUNT, "a category without words");
_Static_assert(sizeof sexes / sizeof sexes[0] == VOCAB_SEX_COUNT, "a sex without words");
_Static_assert(sizeof age_bands / sizeof age_bands[0] == VOCAB_AGE_COUNT, "an age band without words");

const choice_list choices_category = {&vocab_categories, categories, VOCAB_CATEGORY_COUNT, M_LANG_CODE};
const choice_list choices_sex = {&vocab_sexes, sexes, VOCAB_SEX_COUNT, M_SEX_NOT_GIVEN};
const choice_list choices_age_band = {&vocab_age_bands, age_bands, VOCAB_AGE_COUNT, M_AGE_NOT_GIVEN};

const choice_list *choices_for(const vocab *v)
{
    static const choice_list *const all[] = {&choices_category, &choices_sex, &choices_age_band};

    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i]->values == v)
            return all[i];
    return NULL;
}

int choices_has_n(const choice_list *list, const char *value, size_t len)
{
    if (len == 0)
        return list->not_given != M_LANG_CODE;
    return vocab_has_n(list->values, value, len);
}

int choices_has(const choice_list *list, const char *value)
{
    return choices_has_n(list, value, strlen(value));
}
