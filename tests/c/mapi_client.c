/* A MAPI stand-in for tests/test_client.py: the entry points a client's first program uses, an
 * IMAPISession, an IMAPITable of message stores, IMsgStore objects and a message holding one
 * property of every PT_ type of the README's table, and an allocator that counts what it hands
 * out.  Plain C with the layouts of Windows x64 spelled out (fixed-width integers, pointers).
 * The vtable slots come from the model: the test passes -DSLOT_<Method>=<index>. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int32_t HRESULT;
typedef uint32_t ULONG;
typedef struct { uint32_t d1; uint16_t d2, d3; uint8_t d4[8]; } GUID;
typedef struct { ULONG cb; uint8_t *lpb; } SBinary;
typedef struct { ULONG low, high; } FILETIME;
typedef struct { ULONG count; void *items; } MVArray;
typedef union {
    int16_t i; int32_t l; float flt; double dbl; uint16_t b; int64_t cur; double at; FILETIME ft;
    char *lpszA; SBinary bin; uint16_t *lpszW; GUID *lpguid; int64_t li; MVArray mv; int32_t err; void *lpv;
} PV;
typedef struct { ULONG ulPropTag; ULONG dwAlignPad; PV Value; } SPropValue;
typedef struct { ULONG ulAdrEntryPad; ULONG cValues; SPropValue *lpProps; } SRow;
typedef struct { ULONG cRows; SRow aRow[1]; } SRowSet;
typedef struct { ULONG cValues; ULONG aulPropTag[1]; } SPropTagArray;
typedef struct { ULONG rt; ULONG pad; ULONG relop; ULONG ulPropTag; SPropValue *lpProp; } SPropertyRestriction; /* an SRestriction of rt RES_PROPERTY */

#define S_OK 0
#define MAPI_W_ERRORS_RETURNED ((HRESULT)0x00040380)
#define MAPI_E_NOT_FOUND ((HRESULT)0x8004010F)
#define MAPI_E_CALL_FAILED ((HRESULT)0x80004005)
#define E_NOTIMPL ((HRESULT)0x80004001)
#define PROP_TYPE(tag) ((tag) & 0xFFFF)
#define PROP_ID(tag) ((tag) >> 16)
#define MV_FLAG 0x1000
#define PR_ENTRYID 0x0FFF0102u
#define PR_DISPLAY_NAME_W 0x3001001Fu
#define PR_DEFAULT_STORE 0x3400000Bu
#define PR_IPM_SUBTREE_ENTRYID 0x35E00102u

/* --- the allocator: every root buffer is remembered, so a second free is seen ------------ */

typedef struct Block { struct Block *more; int freed; int root; double align; } Block;
#define MAX_BLOCKS 100000
static Block *roots[MAX_BLOCKS];
static int32_t handed_out, freed_once, bad_frees, fail_queries, bad_rows;

static void *block_data(Block *b) { return b + 1; }
static Block *data_block(void *p) { return (Block *)p - 1; }

HRESULT MAPIAllocateBuffer(ULONG size, void **out)
{
    Block *b = calloc(1, sizeof(Block) + size + 1);
    if (!b || handed_out >= MAX_BLOCKS) return MAPI_E_CALL_FAILED;
    b->root = 1;
    roots[handed_out++] = b;
    *out = block_data(b);
    return S_OK;
}

HRESULT MAPIAllocateMore(ULONG size, void *parent, void **out)
{
    Block *b = calloc(1, sizeof(Block) + size + 1), *owner = data_block(parent);
    if (!b) return MAPI_E_CALL_FAILED;
    b->more = owner->more;
    owner->more = b;
    *out = block_data(b);
    return S_OK;
}

ULONG MAPIFreeBuffer(void *p)
{
    if (!p) return 0;
    for (int32_t i = 0; i < handed_out; i++) {
        if (block_data(roots[i]) == p) {
            if (roots[i]->freed) { bad_frees++; return 0; }
            roots[i]->freed = 1;   /* kept, not released, so that a second free is recognised */
            freed_once++;
            return 0;
        }
    }
    bad_frees++;
    return 0;
}

int32_t buffers_handed_out(void) { return handed_out; }
int32_t buffers_freed(void) { return freed_once; }
int32_t bad_free_count(void) { return bad_frees; }
int32_t buffers_outstanding(void)
{
    int32_t n = 0;
    for (int32_t i = 0; i < handed_out; i++) n += !roots[i]->freed;
    return n;
}
void set_fail_queries(int32_t on) { fail_queries = on; }
void set_bad_rows(int32_t on) { bad_rows = on; }

/* --- deep copies of property values, into MAPIAllocateMore memory or malloc'ed memory ---- */

static void *more_into(size_t size, void *root)
{
    void *p = NULL;
    if (root) MAPIAllocateMore((ULONG)size, root, &p);
    else p = calloc(1, size + 1);
    return p;
}

static size_t wide_len(const uint16_t *s) { size_t n = 0; while (s[n]) n++; return n; }

static size_t element_size(ULONG type)
{
    switch (type & ~MV_FLAG) {
    case 0x0002: return 2;
    case 0x0003: case 0x0004: return 4;
    case 0x0005: case 0x0006: case 0x0007: case 0x0014: case 0x0040: return 8;
    case 0x0048: return sizeof(GUID);
    case 0x0102: return sizeof(SBinary);
    case 0x001E: case 0x001F: return sizeof(void *);
    default: return 0;
    }
}

static void copy_single(ULONG type, void **slot_ptr, SBinary *bin, void *root)
{
    switch (type) {
    case 0x001E: { char *s = *slot_ptr; char *d = more_into(strlen(s) + 1, root); strcpy(d, s); *slot_ptr = d; break; }
    case 0x001F: { uint16_t *s = *slot_ptr; size_t n = (wide_len(s) + 1) * 2; void *d = more_into(n, root); memcpy(d, s, n); *slot_ptr = d; break; }
    case 0x0048: { void *d = more_into(sizeof(GUID), root); memcpy(d, *slot_ptr, sizeof(GUID)); *slot_ptr = d; break; }
    case 0x0102: { void *d = more_into(bin->cb, root); memcpy(d, bin->lpb, bin->cb); bin->lpb = d; break; }
    default: break;
    }
}

static void copy_value(SPropValue *d, const SPropValue *s, void *root)
{
    ULONG type = PROP_TYPE(s->ulPropTag);
    *d = *s;
    if (!(type & MV_FLAG)) {
        copy_single(type, &d->Value.lpv, &d->Value.bin, root);
        return;
    }
    size_t size = element_size(type);
    if (!size) return;
    uint8_t *items = more_into(size * s->Value.mv.count, root);
    memcpy(items, s->Value.mv.items, size * s->Value.mv.count);
    d->Value.mv.items = items;
    for (ULONG i = 0; i < s->Value.mv.count; i++) {
        ULONG single = type & ~MV_FLAG;
        if (single == 0x0102) copy_single(single, NULL, (SBinary *)(items + i * size), root);
        else if (single == 0x001E || single == 0x001F) copy_single(single, (void **)(items + i * size), NULL, root);
    }
}

/* --- objects ------------------------------------------------------------------------------ */

typedef struct Obj { void **lpVtbl; ULONG refs; SPropValue *props; ULONG count; } Obj;
static void *session_vtbl[64], *table_vtbl[64], *store_vtbl[64], *message_vtbl[64];
static int32_t objects_live, initialized, logged_off;

static Obj *new_object(void **vtbl)
{
    Obj *o = calloc(1, sizeof(Obj));
    o->lpVtbl = vtbl;
    o->refs = 1;
    objects_live++;
    return o;
}

static HRESULT not_implemented(void) { return E_NOTIMPL; }
static HRESULT obj_qi(Obj *self, const GUID *iid, void **out) { (void)iid; self->refs++; *out = self; return S_OK; }
static ULONG obj_addref(Obj *self) { return ++self->refs; }
static ULONG obj_release(Obj *self) { if (--self->refs == 0) objects_live--; return self->refs; }
int32_t live_objects(void) { return objects_live; }
int32_t logoff_count(void) { return logged_off; }

static void set_prop(Obj *o, const SPropValue *value)
{
    for (ULONG i = 0; i < o->count; i++) {
        if (PROP_ID(o->props[i].ulPropTag) == PROP_ID(value->ulPropTag)) { copy_value(&o->props[i], value, NULL); return; }
    }
    o->props = realloc(o->props, (o->count + 1) * sizeof(SPropValue));
    copy_value(&o->props[o->count++], value, NULL);
}

static SPropValue binary(ULONG tag, const char *text)
{
    SPropValue v = {tag, 0, {0}};
    v.Value.bin.cb = (ULONG)strlen(text);
    v.Value.bin.lpb = (uint8_t *)text;
    return v;
}

static uint16_t *wide(const char *text)
{
    static uint16_t buffers[8][64];
    static int next;
    uint16_t *w = buffers[next++ % 8];
    size_t i = 0;
    for (; text[i] && i < 63; i++) w[i] = (uint8_t)text[i];
    w[i] = 0;
    return w;
}

/* IMAPIProp::GetProps: the asked properties (all with no list), PT_ERROR where one is missing. */
static HRESULT prop_get(Obj *self, SPropTagArray *tags, ULONG flags, ULONG *count, SPropValue **out)
{
    (void)flags;
    ULONG n = tags ? tags->cValues : self->count;
    SPropValue *props;
    HRESULT result = S_OK;
    if (MAPIAllocateBuffer((ULONG)(sizeof(SPropValue) * (n ? n : 1)), (void **)&props)) return MAPI_E_CALL_FAILED;
    for (ULONG i = 0; i < n; i++) {
        const SPropValue *found = NULL;
        ULONG tag = tags ? tags->aulPropTag[i] : self->props[i].ulPropTag;
        for (ULONG j = 0; j < self->count; j++) if (self->props[j].ulPropTag == tag) found = &self->props[j];
        if (found) copy_value(&props[i], found, props);
        else {
            props[i].ulPropTag = (tag & 0xFFFF0000u) | 0x000A;
            props[i].Value.err = MAPI_E_NOT_FOUND;
            result = MAPI_W_ERRORS_RETURNED;
        }
    }
    *count = n;
    *out = props;
    return result;
}

static HRESULT prop_set(Obj *self, ULONG n, SPropValue *values, void **problems)
{
    for (ULONG i = 0; i < n; i++) set_prop(self, &values[i]);
    if (problems) *problems = NULL;
    return S_OK;
}

/* The store table: two rows; the second is the default store. */
#define STORES 2
static Obj *stores[STORES];
static Obj *message;

static HRESULT session_stores_table(Obj *self, ULONG flags, void **out) { (void)self; (void)flags; *out = new_object(table_vtbl); return S_OK; }

static HRESULT session_open_store(Obj *self, uintptr_t ui, ULONG cb, uint8_t *entryid, const GUID *iid, ULONG flags, void **out)
{
    (void)self; (void)ui; (void)iid; (void)flags;
    for (int s = 0; s < STORES; s++) {
        SPropValue *id = &stores[s]->props[0];
        if (id->Value.bin.cb == cb && !memcmp(id->Value.bin.lpb, entryid, cb)) {
            stores[s]->refs++;
            objects_live += stores[s]->refs == 1;
            *out = stores[s];
            return S_OK;
        }
    }
    *out = NULL;
    return MAPI_E_NOT_FOUND;
}

static HRESULT session_logoff(Obj *self, uintptr_t ui, ULONG flags, ULONG reserved) { (void)self; (void)ui; (void)flags; (void)reserved; logged_off++; return S_OK; }

static HRESULT store_open_entry(Obj *self, ULONG cb, void *entryid, const GUID *iid, ULONG flags, ULONG *type, void **out)
{
    (void)self; (void)cb; (void)entryid; (void)iid; (void)flags;
    message->refs++;
    objects_live += message->refs == 1;
    *type = 5; /* MAPI_MESSAGE */
    *out = message;
    return S_OK;
}

static void fill(void **vtbl)
{
    for (int i = 0; i < 64; i++) vtbl[i] = (void *)not_implemented;
    vtbl[0] = (void *)obj_qi;
    vtbl[1] = (void *)obj_addref;
    vtbl[2] = (void *)obj_release;
}

static void build(void)
{
    static int built;
    if (built++) return;
    fill(session_vtbl); fill(table_vtbl); fill(store_vtbl); fill(message_vtbl);
    session_vtbl[SLOT_GetMsgStoresTable] = (void *)session_stores_table;
    session_vtbl[SLOT_OpenMsgStore] = (void *)session_open_store;
    session_vtbl[SLOT_Logoff] = (void *)session_logoff;
    store_vtbl[SLOT_GetProps] = message_vtbl[SLOT_GetProps] = (void *)prop_get;
    store_vtbl[SLOT_SetProps] = message_vtbl[SLOT_SetProps] = (void *)prop_set;
    store_vtbl[SLOT_OpenEntry] = (void *)store_open_entry;
    static const char *names[STORES] = {"Public Folders", "Mailbox - Test User"};
    static const char *ids[STORES] = {"store-public", "store-mailbox"};
    for (int s = 0; s < STORES; s++) {
        Obj *o = stores[s] = new_object(store_vtbl);
        o->refs = 0;
        objects_live--;
        SPropValue v = binary(PR_ENTRYID, ids[s]);
        set_prop(o, &v);
        v.ulPropTag = PR_DISPLAY_NAME_W; v.Value.lpszW = wide(names[s]); set_prop(o, &v);
        v.ulPropTag = PR_DEFAULT_STORE; v.Value.b = s == 1; set_prop(o, &v);
        v = binary(PR_IPM_SUBTREE_ENTRYID, "ipm-subtree"); set_prop(o, &v);
    }
    message = new_object(message_vtbl);
    message->refs = 0;
    objects_live--;
}

/* The message's properties: one of every PT_ type, set by the test through message_set (its C side). */
void *message_object(void) { build(); return message; }

/* --- entry points ------------------------------------------------------------------------- */

HRESULT MAPIInitialize(void *init) { (void)init; build(); initialized++; return S_OK; }
void MAPIUninitialize(void) { initialized--; }
int32_t initialize_count(void) { return initialized; }

HRESULT MAPILogonEx(uintptr_t ui, void *profile, void *password, ULONG flags, void **session)
{
    (void)ui; (void)profile; (void)password; (void)flags;
    build();
    *session = new_object(session_vtbl);
    return S_OK;
}

void FreeProws(SRowSet *rows)
{
    if (!rows) return;
    for (ULONG i = 0; i < rows->cRows; i++) MAPIFreeBuffer(rows->aRow[i].lpProps);
    MAPIFreeBuffer(rows);
}

/* RES_PROPERTY with RELOP_EQ on a PT_BOOLEAN or PT_UNICODE property; any other restriction matches every row. */
static int matches(Obj *store, const SPropertyRestriction *r)
{
    if (!r || r->rt != 4 || r->relop != 4) return 1;
    for (ULONG i = 0; i < store->count; i++) {
        const SPropValue *p = &store->props[i];
        if (p->ulPropTag != r->ulPropTag) continue;
        if (PROP_TYPE(p->ulPropTag) == 0x000B) return !p->Value.b == !r->lpProp->Value.b;
        if (PROP_TYPE(p->ulPropTag) == 0x001F) {
            size_t n = wide_len(p->Value.lpszW);
            return n == wide_len(r->lpProp->Value.lpszW) && !memcmp(p->Value.lpszW, r->lpProp->Value.lpszW, n * 2);
        }
    }
    return 0;
}

HRESULT HrQueryAllRows(Obj *table, SPropTagArray *tags, SPropertyRestriction *restriction, void *sort, int32_t max, SRowSet **out)
{
    (void)table; (void)sort; (void)max;
    *out = NULL;
    if (fail_queries) return MAPI_E_CALL_FAILED;
    SRowSet *rows;
    if (MAPIAllocateBuffer((ULONG)(sizeof(SRowSet) + STORES * sizeof(SRow)), (void **)&rows)) return MAPI_E_CALL_FAILED;
    rows->cRows = 0;
    for (int s = 0; s < STORES; s++) {
        if (!matches(stores[s], restriction)) continue;
        ULONG count;
        SRow *row = &rows->aRow[rows->cRows++];
        prop_get(stores[s], tags, 0, &count, &row->lpProps);
        row->cValues = count;
        if (bad_rows && count) row->lpProps[count - 1].ulPropTag = (row->lpProps[count - 1].ulPropTag & 0xFFFF0000u) | 0x0FFE;
    }
    *out = rows;
    return S_OK;
}
