/*
 *  outlook_style.h -- test fixture written in the style of Microsoft's
 *  Outlook MAPI headers (continued macro lines, direction comments, FAR).
 *  The interfaces and GUIDs below are made up for the tests.
 */

#ifndef OUTLOOK_STYLE_H
#define OUTLOOK_STYLE_H

#include <mapidefs.h>

#ifdef __cplusplus
extern "C" {
#endif

/* IUnknown as the Outlook headers spell it */
#define MAPI_IUNKNOWN_METHODS(IPURE)                                    \
    MAPIMETHOD(QueryInterface)                                          \
        (THIS_  REFIID                      riid,                       \
                LPVOID FAR *                ppvObj) IPURE;              \
    MAPIMETHOD_(ULONG,AddRef)  (THIS) IPURE;                            \
    MAPIMETHOD_(ULONG,Release) (THIS) IPURE;                            \

#define SAMPLE_FLAG_FAST    ((ULONG) 0x00000001)

typedef struct _SAMPLEROW
{
    ULONG           cValues;
    LPSPropValue    lpProps;    /* { not a brace */
} SAMPLEROW, FAR * LPSAMPLEROW;

typedef HRESULT (STDMETHODCALLTYPE SAMPLECALLBACK)(LPVOID lpvContext);

/*
 *  ISampleSite: gives a provider its session.
 *  MAPIMETHOD(NotAMethod) (THIS) IPURE;   <- inside a comment
 */
#define MAPI_ISAMPLESITE_METHODS(IPURE)                                 \
    MAPIMETHOD(GetMAPISession)                                          \
        (THIS_  /*out*/ LPUNKNOWN FAR *     lppSession) IPURE;          \
    MAPIMETHOD(OpenSampleEntry)                                         \
        (THIS_  /*in*/  ULONG               cbEntryID,                  \
                /*in*/  LPENTRYID           lpEntryID,                  \
                /*in, out*/ ULONG FAR *     lpulFlags,                  \
                /*in/out*/ LPTSTR FAR * FAR * lpppszNames,              \
                        const SAMPLEROW FAR * lpRow,                    \
                /*in*/  ULONG) IPURE;                                   \
    MAPIMETHOD_(ULONG, GetSampleCount)                                  \
        (THIS) IPURE;

DECLARE_MAPI_INTERFACE_PTR(ISampleSite, LPSAMPLESITE);

#undef  INTERFACE
#define INTERFACE   ISampleSite
DECLARE_MAPI_INTERFACE_(ISampleSite, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(PURE)
    MAPI_ISAMPLESITE_METHODS(PURE)
};

/* Methods written directly in the body, COM style */
#undef  INTERFACE
#define INTERFACE   ISampleSiteEx
DECLARE_INTERFACE_(ISampleSiteEx, ISampleSite)
{
    BEGIN_INTERFACE
    // *** IUnknown methods ***
    STDMETHOD(QueryInterface) (THIS_ REFIID riid, LPVOID FAR * ppvObj) PURE;
    STDMETHOD_(ULONG,AddRef) (THIS)  PURE;
    STDMETHOD_(ULONG,Release) (THIS) PURE;
    MAPI_ISAMPLESITE_METHODS(PURE)
#ifdef SAMPLE_EXTRA
    // *** ISampleSiteEx methods ***
#endif
    STDMETHOD(Refresh) (THIS_ /*in*/ __RPC__in ULONG ulFlags) PURE;
    STDMETHOD_(LPSTR, GetLabel) (THIS_ /* [out] */ LPSTR FAR * lppszLabel) PURE;
    END_INTERFACE
};

typedef ISampleSiteEx FAR * LPSAMPLESITEEX;

DEFINE_GUID(IID_ISampleSite, 0xb2533636, 0xc3f3, 0x416f,
            0xbf, 0x04, 0xae, 0xfe, 0x41, 0xab, 0xaa, 0xe2);
DEFINE_OLEGUID(IID_ISampleSiteEx, 0x000203A0L, 0, 0);

#define SAMPLE_E_NOT_READY          MAKE_MAPI_E( 0x980 )
#define SAMPLE_W_PARTIAL            MAKE_MAPI_S(0x981)     /* partial success */
#define SAMPLE_E_BUSY               ((HRESULT)0x80040982L)
#define SAMPLE_E_FAILED             E_FAIL
#define SAMPLE_E_STILL_BUSY         SAMPLE_E_BUSY
#define SAMPLE_E_UNKNOWN            SAMPLE_E_NOWHERE

STDMETHODIMP SampleInit(LPSAMPLESITE lpSite);

#ifdef __cplusplus
}   /* extern "C" */
#endif

#endif  /* OUTLOOK_STYLE_H */
