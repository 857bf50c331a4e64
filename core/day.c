/*
 * day.c: UTC calendar days (see day.h).
 */
#include "day.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void day_today(char out[DAY_TEXT_SIZE])
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(out, DAY_TEXT_SIZE, "%Y-%m-%d", &tm);
}

int day_valid(const char *text)
{
    static const int days_in[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;

    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
            return 0;
    if (sscanf(text, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1)
        return 0;
    if (m == 2 && d == 29)
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days_in[m - 1];
}

void day_add(const char *day, int days, int months, char out[DAY_TEXT_SIZE])
{
    static const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 1970, m = 1, d = 1, last;
    struct tm tm;
    time_t t;

    sscanf(day, "%4d-%2d-%2d", &y, &m, &d);
    m += months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    last = days_in[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > last)
        d = last;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d + days;
    tm.tm_hour = 12;
    t = timegm(&tm);
    gmtime_r(&t, &tm);
    strftime(out, DAY_TEXT_SIZE, "%Y-%m-%d", &tm);
}
