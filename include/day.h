/*
 * day.h: calendar days in UTC, the only precision at which this system records when a report
 * or follow-up arrived (an exact time could help identify a reporter).
 */
#ifndef SEA_DAY_H
#define SEA_DAY_H

#define DAY_TEXT_SIZE 11   /* YYYY-MM-DD and NUL */

/* day_today: writes today's UTC date as YYYY-MM-DD into out. */
void day_today(char out[DAY_TEXT_SIZE]);

/*
 * day_add: writes into out the day `days` days and `months` months after day (a valid
 * YYYY-MM-DD); a month later than the 31st of a shorter month is its last day.
 */
void day_add(const char *day, int days, int months, char out[DAY_TEXT_SIZE]);

/* day_valid: 1 when text is a real calendar date written YYYY-MM-DD, else 0. */
int day_valid(const char *text);

#endif
