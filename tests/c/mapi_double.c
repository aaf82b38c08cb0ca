/* A stand-in for the MAPI DLL, for tests/test_runtime.py: a few entry points with MAPI's names
   and signatures, and counters the tests read.  DOUBLE_NAME tells two builds apart. */
#include <stdint.h>
#include <stdlib.h>

#ifndef DOUBLE_NAME
#define DOUBLE_NAME "first"
#endif

typedef int32_t HRESULT;

static int32_t initialized;
static int32_t outstanding;

HRESULT MAPIInitialize(void *lpMapiInit)
{
    (void)lpMapiInit;
    initialized++;
    return 0;
}

void MAPIUninitialize(void)
{
    initialized--;
}

HRESULT MAPIAllocateBuffer(uint32_t cbSize, void **lppBuffer)
{
    *lppBuffer = calloc(1, cbSize ? cbSize : 1);
    if (!*lppBuffer)
        return (HRESULT)0x8007000E; /* MAPI_E_NOT_ENOUGH_MEMORY */
    outstanding++;
    return 0;
}

uint32_t MAPIFreeBuffer(void *lpBuffer)
{
    if (lpBuffer) {
        free(lpBuffer);
        outstanding--;
    }
    return 0;
}

int32_t DoubleInitialized(void) { return initialized; }
int32_t DoubleOutstanding(void) { return outstanding; }
const char *DoubleName(void) { return DOUBLE_NAME; }
