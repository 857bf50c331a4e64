/*
 * agent-wire.c: the 16-byte frames between casework and its key agent (format in agent.h).
 */
#include "agent.h"

#include <string.h>

void agent_encode(unsigned char out[AGENT_HEADERBYTES], int code, const unsigned char *id)
{
    memset(out, 0, AGENT_HEADERBYTES);
    memcpy(out, AGENT_MAGIC, 4);
    out[4] = AGENT_VERSION;
    out[5] = (unsigned char)code;
    if (id != NULL)
        memcpy(out + 8, id, PUBKEY_IDBYTES);
}

int agent_decode(const unsigned char in[AGENT_HEADERBYTES], unsigned char id[PUBKEY_IDBYTES])
{
    if (memcmp(in, AGENT_MAGIC, 4) != 0 || in[4] != AGENT_VERSION || in[6] != 0 || in[7] != 0)
        return -1;
    memcpy(id, in + 8, PUBKEY_IDBYTES);
    return in[5];
}
