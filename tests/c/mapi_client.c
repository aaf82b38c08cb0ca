/* A MAPI stand-in for tests/test_client.py: the entry points a client's first program uses, an
 * IMAPISession, an IMAPITable of message stores, IMsgStore objects and a message holding one
 * property of every PT_ type of the README's table, an IAddrBook whose ResolveName resolves
 * every display name but "nobody", advise sinks kept by Advise and called by fire_notifications
 * (a test-only export), and an allocator that counts what it hands out.  Plain C with the
 * layouts of Windows x64 spelled out (fixed-width integers, pointers).  The vtable slots come
 * from the model: the test passes -DSLOT_<Method>=<index>. */
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
typedef struct SRestriction SRestriction;
typedef struct { ULONG count; SRestriction *lpRes; } SAndRestriction;             /* RES_AND, RES_OR; RES_NOT (count unused) */
typedef struct { ULONG fuzzy_or_relop; ULONG ulPropTag; SPropValue *lpProp; } SValueRestriction; /* RES_CONTENT, RES_PROPERTY */
typedef struct { ULONG reserved1; ULONG ulPropTag; ULONG reserved2; } SExistRestriction;
typedef struct { ULONG cValues; SRestriction *lpRes; SPropValue *lpProp; } SCommentRestriction; /* the union's largest member */
struct SRestriction {
    ULONG rt;
    union { SAndRestriction resAnd; SValueRestriction resValue; SExistRestriction resExist; SCommentRestriction resComment; } res;
};
typedef struct { ULONG ulPropTag; ULONG ulOrder; } SSortOrder;
typedef struct { ULONG cSorts; ULONG cCategories; ULONG cExpanded; SSortOrder aSort[1]; } SSortOrderSet;
typedef struct { ULONG ulReserved1; ULONG cValues; SPropValue *rgPropVals; } ADRENTRY;
typedef struct { ULONG cEntries; ADRENTRY aEntries[1]; } ADRLIST;
typedef struct { ULONG cbEntryID; void *lpEntryID; ULONG cbParentID; void *lpParentID; ULONG ulFlags; uint16_t *lpszMessageClass; ULONG ulMessageFlags; } NEWMAIL_NOTIFICATION;
typedef struct { ULONG cbEntryID; void *lpEntryID; ULONG ulObjType; ULONG cbParentID; void *lpParentID; ULONG cbOldID; void *lpOldID; ULONG cbOldParentID; void *lpOldParentID; SPropTagArray *lpPropTagArray; } OBJECT_NOTIFICATION;
typedef struct { ULONG ulTableEvent; HRESULT hResult; SPropValue propIndex; SPropValue propPrior; SRow row; ULONG ulPad; } TABLE_NOTIFICATION;
typedef struct { ULONG ulEventType; ULONG ulAlignPad; union { NEWMAIL_NOTIFICATION newmail; OBJECT_NOTIFICATION obj; TABLE_NOTIFICATION tab; } info; } NOTIFICATION;

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
#define PR_INSTANCE_KEY 0x0FF60102u
#define PR_EMAIL_ADDRESS_W 0x3003001Fu
#define MAPI_UNICODE 0x80000000u
#define fnevNewMail 0x00000002u
#define fnevObjectCreated 0x00000004u
#define fnevTableModified 0x00000100u
#define TABLE_ROW_ADDED 3

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
static void *session_vtbl[64], *table_vtbl[64], *store_vtbl[64], *message_vtbl[64], *book_vtbl[64];
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

/* --- advise sinks: Advise keeps the sink (one reference), Unadvise releases it ------------ */

typedef struct Sink { void **lpVtbl; } Sink;
typedef ULONG (*AddRefFn)(Sink *);
typedef ULONG (*OnNotifyFn)(Sink *, ULONG, NOTIFICATION *);
#define MAX_SINKS 8
static Sink *sinks[MAX_SINKS];
static ULONG sink_masks[MAX_SINKS];
static int32_t notifications_delivered;

static HRESULT keep_sink(ULONG mask, Sink *sink, uintptr_t *connection)
{
    for (int i = 0; i < MAX_SINKS; i++) {
        if (sinks[i]) continue;
        ((AddRefFn)sink->lpVtbl[1])(sink);
        sinks[i] = sink;
        sink_masks[i] = mask;
        *connection = (uintptr_t)i + 1;
        return S_OK;
    }
    return MAPI_E_CALL_FAILED;
}

static HRESULT session_advise(Obj *self, ULONG cb, void *entryid, ULONG mask, Sink *sink, uintptr_t *connection)
{
    (void)self; (void)cb; (void)entryid;
    return keep_sink(mask, sink, connection);
}

static HRESULT table_advise(Obj *self, ULONG mask, Sink *sink, uintptr_t *connection) { (void)self; return keep_sink(mask, sink, connection); }

static HRESULT unadvise(Obj *self, uintptr_t connection)
{
    (void)self;
    if (connection < 1 || connection > MAX_SINKS || !sinks[connection - 1]) return MAPI_E_NOT_FOUND;
    Sink *sink = sinks[connection - 1];
    sinks[connection - 1] = NULL;
    ((AddRefFn)sink->lpVtbl[2])(sink);
    return S_OK;
}

int32_t advised_sinks(void)
{
    int32_t n = 0;
    for (int i = 0; i < MAX_SINKS; i++) n += sinks[i] != NULL;
    return n;
}

int32_t notifications_sent(void) { return notifications_delivered; }

static void *copy_bytes(const char *text, void *root) { size_t n = strlen(text); void *d = more_into(n, root); memcpy(d, text, n); return d; }

/* Three notifications in one MAPIAllocateBuffer block (new mail, an object created, a row added),
 * given to every sink whose mask asks for one of them, then freed: MAPI owns what it passes. */
int32_t fire_notifications(void)
{
    NOTIFICATION *n;
    if (MAPIAllocateBuffer(3 * sizeof(NOTIFICATION), (void **)&n)) return -1;
    memset(n, 0, 3 * sizeof(NOTIFICATION));
    n[0].ulEventType = fnevNewMail;
    n[0].info.newmail.cbEntryID = 5; n[0].info.newmail.lpEntryID = copy_bytes("msg-1", n);
    n[0].info.newmail.cbParentID = 5; n[0].info.newmail.lpParentID = copy_bytes("inbox", n);
    n[0].info.newmail.ulFlags = MAPI_UNICODE;
    uint16_t *cls = more_into(9 * 2, n);
    memcpy(cls, wide("IPM.Note"), 9 * 2);
    n[0].info.newmail.lpszMessageClass = cls;
    n[0].info.newmail.ulMessageFlags = 1;
    n[1].ulEventType = fnevObjectCreated;
    n[1].info.obj.cbEntryID = 5; n[1].info.obj.lpEntryID = copy_bytes("fld-2", n);
    n[1].info.obj.ulObjType = 3; /* MAPI_FOLDER */
    n[1].info.obj.cbParentID = 5; n[1].info.obj.lpParentID = copy_bytes("inbox", n);
    SPropTagArray *tags = more_into(sizeof(SPropTagArray) + sizeof(ULONG), n);
    tags->cValues = 2; tags->aulPropTag[0] = PR_DISPLAY_NAME_W; tags->aulPropTag[1] = PR_ENTRYID;
    n[1].info.obj.lpPropTagArray = tags;
    n[2].ulEventType = fnevTableModified;
    n[2].info.tab.ulTableEvent = TABLE_ROW_ADDED;
    n[2].info.tab.propIndex = binary(PR_INSTANCE_KEY, "row-3");
    copy_single(0x0102, NULL, &n[2].info.tab.propIndex.Value.bin, n);
    n[2].info.tab.propPrior.ulPropTag = 0x00000001; /* PT_NULL: no prior row */
    SPropValue *row = more_into(2 * sizeof(SPropValue), n);
    row[0].ulPropTag = PR_DISPLAY_NAME_W; row[0].Value.lpszW = wide("Archive");
    copy_single(0x001F, &row[0].Value.lpv, NULL, n);
    row[1] = binary(PR_ENTRYID, "store-archive");
    copy_single(0x0102, NULL, &row[1].Value.bin, n);
    n[2].info.tab.row.cValues = 2; n[2].info.tab.row.lpProps = row;
    int32_t calls = 0;
    for (int i = 0; i < MAX_SINKS; i++) {
        if (!sinks[i]) continue;
        ((OnNotifyFn)sinks[i]->lpVtbl[SLOT_OnNotify])(sinks[i], 3, n);
        notifications_delivered += 3;
        calls++;
    }
    MAPIFreeBuffer(n);
    return calls;
}

/* --- the address book: ResolveName gives each entry an entry ID and an address ------------ */

static HRESULT session_open_address_book(Obj *self, uintptr_t ui, const GUID *iid, ULONG flags, void **out)
{
    (void)self; (void)ui; (void)iid; (void)flags;
    *out = new_object(book_vtbl);
    return S_OK;
}

static HRESULT book_resolve_name(Obj *self, uintptr_t ui, ULONG flags, void *title, ADRLIST *list)
{
    (void)self; (void)ui; (void)flags; (void)title;
    for (ULONG i = 0; i < list->cEntries; i++) {
        ADRENTRY *e = &list->aEntries[i];
        const uint16_t *name = NULL;
        for (ULONG j = 0; j < e->cValues; j++) if (e->rgPropVals[j].ulPropTag == PR_DISPLAY_NAME_W) name = e->rgPropVals[j].Value.lpszW;
        if (!name || (wide_len(name) == 6 && !memcmp(name, wide("nobody"), 12))) return MAPI_E_NOT_FOUND;
    }
    for (ULONG i = 0; i < list->cEntries; i++) {
        ADRENTRY *e = &list->aEntries[i];
        SPropValue *props;
        if (MAPIAllocateBuffer(3 * sizeof(SPropValue), (void **)&props)) return MAPI_E_CALL_FAILED;
        for (ULONG j = 0; j < e->cValues; j++) if (e->rgPropVals[j].ulPropTag == PR_DISPLAY_NAME_W) copy_value(&props[0], &e->rgPropVals[j], props);
        size_t n = wide_len(props[0].Value.lpszW);
        char *id = more_into(n + 3, props);
        memcpy(id, "ab:", 3);
        for (size_t k = 0; k < n; k++) id[3 + k] = (char)props[0].Value.lpszW[k];
        props[1].ulPropTag = PR_ENTRYID; props[1].Value.bin.cb = (ULONG)(n + 3); props[1].Value.bin.lpb = (uint8_t *)id;
        uint16_t *mail = more_into((n + 14) * 2, props);
        memcpy(mail, props[0].Value.lpszW, n * 2);
        memcpy(mail + n, wide("@example.com"), 13 * 2);
        props[2].ulPropTag = PR_EMAIL_ADDRESS_W; props[2].Value.lpszW = mail;
        MAPIFreeBuffer(e->rgPropVals);
        e->rgPropVals = props;
        e->cValues = 3;
    }
    return S_OK;
}

void FreePadrlist(ADRLIST *list)
{
    if (!list) return;
    for (ULONG i = 0; i < list->cEntries; i++) MAPIFreeBuffer(list->aEntries[i].rgPropVals);
    MAPIFreeBuffer(list);
}

/* --- the store table's sort order: by display name, as SortTable or HrQueryAllRows says ---- */

static int sort_descending = -1; /* -1: the table's own order */

static void sort_by(const SSortOrderSet *sort)
{
    if (sort && sort->cSorts && sort->aSort[0].ulPropTag == PR_DISPLAY_NAME_W) sort_descending = sort->aSort[0].ulOrder == 1;
}

static HRESULT table_sort(Obj *self, SSortOrderSet *sort, ULONG flags) { (void)self; (void)flags; sort_by(sort); return S_OK; }

/* Methods a client calls through the generic value path (tests/test_client.py). */
static HRESULT session_compare(Obj *self, ULONG cb1, void *id1, ULONG cb2, void *id2, ULONG flags, ULONG *result)
{
    (void)self; (void)flags;
    *result = cb1 == cb2 && !memcmp(id1, id2, cb1);
    return S_OK;
}

static ULONG columns_set = 0xFFFFFFFFu;
static HRESULT table_set_columns(Obj *self, SPropTagArray *tags, ULONG flags) { (void)self; (void)flags; columns_set = tags ? tags->cValues : 0; return S_OK; }
ULONG last_column_count(void) { return columns_set; }

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
    fill(session_vtbl); fill(table_vtbl); fill(store_vtbl); fill(message_vtbl); fill(book_vtbl);
    session_vtbl[SLOT_GetMsgStoresTable] = (void *)session_stores_table;
    session_vtbl[SLOT_OpenMsgStore] = (void *)session_open_store;
    session_vtbl[SLOT_Logoff] = (void *)session_logoff;
    store_vtbl[SLOT_GetProps] = message_vtbl[SLOT_GetProps] = (void *)prop_get;
    store_vtbl[SLOT_SetProps] = message_vtbl[SLOT_SetProps] = (void *)prop_set;
    store_vtbl[SLOT_OpenEntry] = (void *)store_open_entry;
    session_vtbl[SLOT_OpenAddressBook] = (void *)session_open_address_book;
    session_vtbl[SLOT_SessionAdvise] = (void *)session_advise;
    session_vtbl[SLOT_SessionUnadvise] = (void *)unadvise;
    store_vtbl[SLOT_StoreAdvise] = (void *)session_advise;
    store_vtbl[SLOT_StoreUnadvise] = (void *)unadvise;
    table_vtbl[SLOT_TableAdvise] = (void *)table_advise;
    table_vtbl[SLOT_TableUnadvise] = (void *)unadvise;
    table_vtbl[SLOT_SortTable] = (void *)table_sort;
    book_vtbl[SLOT_ResolveName] = (void *)book_resolve_name;
    session_vtbl[SLOT_CompareEntryIDs] = (void *)session_compare;
    session_vtbl[SLOT_SessionOpenEntry] = (void *)store_open_entry;
    table_vtbl[SLOT_SetColumns] = (void *)table_set_columns;
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

/* RES_AND, RES_OR, RES_NOT, RES_EXIST; RES_PROPERTY with RELOP_EQ and RES_CONTENT (FL_FULLSTRING,
 * FL_SUBSTRING, FL_PREFIX) on a PT_BOOLEAN or PT_UNICODE property; any other restriction matches every row. */
static const SPropValue *find_prop(Obj *store, ULONG tag)
{
    for (ULONG i = 0; i < store->count; i++) if (store->props[i].ulPropTag == tag) return &store->props[i];
    return NULL;
}

static int contains(const uint16_t *text, const uint16_t *part, ULONG fuzzy)
{
    size_t n = wide_len(text), m = wide_len(part);
    if ((fuzzy & 0xFFFF) == 0) return n == m && !memcmp(text, part, n * 2);
    for (size_t i = 0; i + m <= n; i++) {
        if (!memcmp(text + i, part, m * 2)) return 1;
        if ((fuzzy & 0xFFFF) == 2) break;
    }
    return 0;
}

static int matches(Obj *store, const SRestriction *r)
{
    if (!r) return 1;
    switch (r->rt) {
    case 0: for (ULONG i = 0; i < r->res.resAnd.count; i++) if (!matches(store, &r->res.resAnd.lpRes[i])) return 0; return 1;
    case 1: for (ULONG i = 0; i < r->res.resAnd.count; i++) if (matches(store, &r->res.resAnd.lpRes[i])) return 1; return 0;
    case 2: return !matches(store, r->res.resAnd.lpRes);
    case 8: return find_prop(store, r->res.resExist.ulPropTag) != NULL;
    case 3: case 4: {
        const SPropValue *p = find_prop(store, r->res.resValue.ulPropTag), *v = r->res.resValue.lpProp;
        if (r->rt == 4 && r->res.resValue.fuzzy_or_relop != 4) return 1;
        if (!p) return 0;
        if (PROP_TYPE(p->ulPropTag) == 0x000B) return !p->Value.b == !v->Value.b;
        if (PROP_TYPE(p->ulPropTag) == 0x001F) return contains(p->Value.lpszW, v->Value.lpszW, r->rt == 3 ? r->res.resValue.fuzzy_or_relop : 0);
        return 0;
    }
    default: return 1;
    }
}

HRESULT HrQueryAllRows(Obj *table, SPropTagArray *tags, SRestriction *restriction, SSortOrderSet *sort, int32_t max, SRowSet **out)
{
    (void)table; (void)max;
    *out = NULL;
    if (fail_queries) return MAPI_E_CALL_FAILED;
    SRowSet *rows;
    if (MAPIAllocateBuffer((ULONG)(sizeof(SRowSet) + STORES * sizeof(SRow)), (void **)&rows)) return MAPI_E_CALL_FAILED;
    rows->cRows = 0;
    sort_by(sort);
    int order[STORES] = {0, 1};
    if (sort_descending >= 0) {
        const uint16_t *a = find_prop(stores[0], PR_DISPLAY_NAME_W)->Value.lpszW, *b = find_prop(stores[1], PR_DISPLAY_NAME_W)->Value.lpszW;
        size_t n = wide_len(a) < wide_len(b) ? wide_len(a) : wide_len(b);
        int cmp = memcmp(a, b, n * 2);
        int first = (cmp > 0) != sort_descending; /* the store that comes first */
        order[0] = first; order[1] = !first;
    }
    for (int k = 0; k < STORES; k++) {
        int s = order[k];
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
