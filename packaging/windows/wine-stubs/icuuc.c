/* Wine 8 stand-in for Windows' icuuc.dll, the ICU converter entry points Qt6Core imports.
 *
 * Only ever copied into a Wine prefix's C:\windows\system32 by wine-build.sh, never into a
 * bundle or an installer (tests/windows/test_no_stub_dlls.py checks both). Real Windows 10
 * 1703+ ships the real icuuc.dll. Qt uses ICU converters only for legacy codecs the reader
 * never asks for, so every converter fails to open and Qt falls back to its own UTF codecs.
 */
#include <stddef.h>
#include <stdint.h>

typedef int32_t UErrorCode;
typedef uint16_t UChar;
typedef int8_t UBool;
typedef struct UConverter UConverter;
typedef void (*UConverterCallback)(void);

/* U_UNSUPPORTED_ERROR: "requested operation not supported in current context". */
enum { STUB_UNSUPPORTED = 16 };

static void fail(UErrorCode *err)
{
    /* ICU's convention: a call made with a failure already set does nothing. */
    if (err != NULL && *err <= 0)
        *err = STUB_UNSUPPORTED;
}

UConverter *ucnv_open(const char *name, UErrorCode *err)
{
    (void)name;
    fail(err);
    return NULL;
}

void ucnv_close(UConverter *cnv) { (void)cnv; }

void ucnv_reset(UConverter *cnv) { (void)cnv; }

int8_t ucnv_getMaxCharSize(const UConverter *cnv)
{
    (void)cnv;
    return 1;
}

const char *ucnv_getName(const UConverter *cnv, UErrorCode *err)
{
    (void)cnv;
    fail(err);
    return NULL;
}

void ucnv_getToUCallBack(const UConverter *cnv, UConverterCallback *action, const void **context)
{
    (void)cnv;
    if (action != NULL)
        *action = NULL;
    if (context != NULL)
        *context = NULL;
}

void ucnv_getFromUCallBack(const UConverter *cnv, UConverterCallback *action,
                           const void **context)
{
    ucnv_getToUCallBack(cnv, action, context);
}

void ucnv_setToUCallBack(UConverter *cnv, UConverterCallback action, const void *context,
                         UConverterCallback *old_action, const void **old_context,
                         UErrorCode *err)
{
    (void)action;
    (void)context;
    ucnv_getToUCallBack(cnv, old_action, old_context);
    fail(err);
}

void ucnv_setFromUCallBack(UConverter *cnv, UConverterCallback action, const void *context,
                           UConverterCallback *old_action, const void **old_context,
                           UErrorCode *err)
{
    ucnv_setToUCallBack(cnv, action, context, old_action, old_context, err);
}

void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *context, void *args, const UChar *units,
                                     int32_t length, int32_t code_point, int32_t reason,
                                     UErrorCode *err)
{
    (void)context, (void)args, (void)units, (void)length, (void)code_point, (void)reason;
    fail(err);
}

void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *context, void *args, const char *units,
                                   int32_t length, int32_t reason, UErrorCode *err)
{
    (void)context, (void)args, (void)units, (void)length, (void)reason;
    fail(err);
}

void ucnv_cbToUWriteUChars(void *args, const UChar *source, int32_t length, int32_t offset,
                           UErrorCode *err)
{
    (void)args, (void)source, (void)length, (void)offset;
    fail(err);
}

void ucnv_cbFromUWriteUChars(void *args, const UChar **source, const UChar *limit,
                             int32_t offset, UErrorCode *err)
{
    (void)args, (void)source, (void)limit, (void)offset;
    fail(err);
}

void ucnv_toUnicode(UConverter *cnv, UChar **target, const UChar *target_limit,
                    const char **source, const char *source_limit, int32_t *offsets,
                    UBool flush, UErrorCode *err)
{
    (void)cnv, (void)target, (void)target_limit, (void)source, (void)source_limit;
    (void)offsets, (void)flush;
    fail(err);
}

void ucnv_fromUnicode(UConverter *cnv, char **target, const char *target_limit,
                      const UChar **source, const UChar *source_limit, int32_t *offsets,
                      UBool flush, UErrorCode *err)
{
    (void)cnv, (void)target, (void)target_limit, (void)source, (void)source_limit;
    (void)offsets, (void)flush;
    fail(err);
}

int32_t ucnv_toUCountPending(const UConverter *cnv, UErrorCode *err)
{
    (void)cnv;
    fail(err);
    return -1;
}

int32_t ucnv_fromUCountPending(const UConverter *cnv, UErrorCode *err)
{
    return ucnv_toUCountPending(cnv, err);
}

const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err)
{
    (void)name, (void)standard;
    fail(err);
    return NULL;
}

const char *ucnv_getAvailableName(int32_t index)
{
    (void)index;
    return NULL;
}

int32_t ucnv_countAvailable(void) { return 0; }
