/* A C implementation and a C caller of IMAPIGetSession, for the ABI tests.
 * Plain C with the vtable layout spelled out: slot order is the point under test. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int32_t HRESULT;
typedef uint32_t ULONG;
typedef struct { uint32_t d1; uint16_t d2, d3; uint8_t d4[8]; } GUID;

#define S_OK ((HRESULT)0)
#define E_NOINTERFACE ((HRESULT)0x80004002u)

typedef struct UnknownVtbl {
    HRESULT (*QueryInterface)(void *self, const GUID *riid, void **out);
    ULONG (*AddRef)(void *self);
    ULONG (*Release)(void *self);
} UnknownVtbl;

typedef struct GetSessionVtbl {
    UnknownVtbl unknown;
    HRESULT (*GetMAPISession)(void *self, void **lppSession);
} GetSessionVtbl;

static const GUID IID_IUnknown = {0x00000000, 0x0000, 0x0000, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID IID_IMAPIGetSession = {0x614AB435, 0x491D, 0x4F5B, {0xA8, 0xB4, 0x60, 0xEB, 0x03, 0x10, 0x30, 0xC6}};

/* The "session": a bare IUnknown with a reference count. */
typedef struct Session { const UnknownVtbl *lpVtbl; ULONG refs; } Session;

static HRESULT session_qi(void *self, const GUID *riid, void **out) {
    if (memcmp(riid, &IID_IUnknown, sizeof(GUID)) != 0) { *out = NULL; return E_NOINTERFACE; }
    ((Session *)self)->refs++;
    *out = self;
    return S_OK;
}
static ULONG session_addref(void *self) { return ++((Session *)self)->refs; }
static ULONG session_release(void *self) { return --((Session *)self)->refs; }
static const UnknownVtbl session_vtbl = {session_qi, session_addref, session_release};
static Session the_session = {&session_vtbl, 1};

void *session_object(void) { return &the_session; }
ULONG session_refs(void) { return the_session.refs; }

/* The getter: returns the session, or fails with a set HRESULT. */
typedef struct Getter { const GetSessionVtbl *lpVtbl; ULONG refs; HRESULT fail_with; } Getter;

static HRESULT getter_qi(void *self, const GUID *riid, void **out) {
    if (memcmp(riid, &IID_IUnknown, sizeof(GUID)) && memcmp(riid, &IID_IMAPIGetSession, sizeof(GUID))) {
        *out = NULL;
        return E_NOINTERFACE;
    }
    ((Getter *)self)->refs++;
    *out = self;
    return S_OK;
}
static ULONG getter_addref(void *self) { return ++((Getter *)self)->refs; }
static ULONG getter_release(void *self) {
    Getter *g = self;
    ULONG left = --g->refs;
    if (left == 0) free(g);
    return left;
}
static HRESULT getter_get(void *self, void **lppSession) {
    Getter *g = self;
    if (g->fail_with) { *lppSession = NULL; return g->fail_with; }
    session_addref(&the_session);
    *lppSession = &the_session;
    return S_OK;
}
static const GetSessionVtbl getter_vtbl = {{getter_qi, getter_addref, getter_release}, getter_get};

void *make_getter(HRESULT fail_with) {
    Getter *g = malloc(sizeof *g);
    g->lpVtbl = &getter_vtbl;
    g->refs = 1;
    g->fail_with = fail_with;
    return g;
}

/* C calling an IMAPIGetSession (implemented in Python) through its vtable. */
HRESULT call_get_mapi_session(void *obj, void **out) {
    return (*(GetSessionVtbl **)obj)->GetMAPISession(obj, out);
}
HRESULT call_query_interface(void *obj, const GUID *riid, void **out) {
    return (*(UnknownVtbl **)obj)->QueryInterface(obj, riid, out);
}
ULONG call_add_ref(void *obj) { return (*(UnknownVtbl **)obj)->AddRef(obj); }
ULONG call_release(void *obj) { return (*(UnknownVtbl **)obj)->Release(obj); }
