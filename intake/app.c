/*
 * app.c: access to the intake's two database connections (see app.h).
 */
#include "app.h"

#include <sys/statvfs.h>

#include "writer.h"

store *app_read_begin(intake_app *app)
{
    pthread_mutex_lock(&app->read_lock);
    return app->db_read;
}

void app_read_end(intake_app *app)
{
    pthread_mutex_unlock(&app->read_lock);
}

int app_room_for(const intake_app *app, uint64_t bytes)
{
    struct statvfs st;

    if (app->min_free == 0)
        return 1;
    if (statvfs(app->db_dir, &st) != 0)
        return 0;
    return (uint64_t)st.f_bavail * st.f_frsize >= app->min_free + 2 * bytes;
}

int app_overloaded(intake_app *app)
{
    return app->writer != NULL && writer_queued(app->writer) >= app->max_active;
}
