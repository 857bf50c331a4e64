/*
 * choices.c: the report form's fixed answers (see choices.h).
 */
#include "choices.h"

#include <string.h>

static const choice categories[] = {
    {"harassment", M_CAT_HARASSMENT, M_CAT_HARASSMENT_HINT},
    {"sexual-harassment", M_CAT_SEXUAL_HARASSMENT, M_CAT_SEXUAL_HARASSMENT_HINT},
    {"bullying", M_CAT_BULLYING, M_CAT_BULLYING_HINT},
    {"discrimination", M_CAT_DISCRIMINATION, M_CAT_DISCRIMINATION_HINT},
    {"sexual-exploitation-abuse", M_CAT_SEA, M_CAT_SEA_HINT},
    {"other", M_CAT_OTHER, M_CAT_OTHER_HINT},
};

static const choice sexes[] = {
    {"", M_SEX_NOT_GIVEN, M_LANG_CODE},
    {"female", M_SEX_FEMALE, M_LANG_CODE},
    {"male", M_SEX_MALE, M_LANG_CODE},
    {"other", M_SEX_OTHER, M_LANG_CODE},
};

static const choice age_bands[] = {
    {"", M_AGE_NOT_GIVEN, M_LANG_CODE},
    {"under-25", M_AGE_UNDER_25, M_LANG_CODE},
    {"25-34", M_AGE_25_34, M_LANG_CODE},
    {"35-44", M_AGE_35_44, M_LANG_CODE},
    {"45-54", M_AGE_45_54, M_LANG_CODE},
    {"55-plus", M_AGE_55_PLUS, M_LANG_CODE},
};

const choice_list choices_category = {categories, sizeof categories / sizeof categories[0]};
const choice_list choices_sex = {sexes, sizeof sexes / sizeof sexes[0]};
const choice_list choices_age_band = {age_bands, sizeof age_bands / sizeof age_bands[0]};

int choices_has(const choice_list *list, const char *value)
{
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->items[i].value, value) == 0)
            return 1;
    return 0;
}
