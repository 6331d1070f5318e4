/* Wine 8 stand-in for Windows' bcryptprimitives.dll: ProcessPrng, which nh3 (Rust's std)
 * imports for its hash seeds. Wine 8 has BCryptGenRandom, so this is the real thing, not a
 * dummy: random bytes from the system generator.
 *
 * Only ever copied into a Wine prefix's C:\windows\system32 by wine-build.sh, never into a
 * bundle or an installer (tests/windows/test_no_stub_dlls.py checks both).
 */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    /* BCryptGenRandom takes a ULONG count; ProcessPrng takes SIZE_T and never fails. */
    while (size > 0) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
