using System.Security.Cryptography;
using System.Text;

namespace IdVerify.Core.Evaluation;

/// <summary>
/// Splits a source by identity into two folds, so no person is on both sides: the fold is the low bit of the first byte
/// of SHA-256(source-qualified identity). Deterministic, needs no seed, and stable when photos are added.
/// </summary>
public static class IdentitySplit
{
    public const string Description = "two folds by identity, fold = SHA-256(identity)[0] & 1; each fold calibrates and the other is held out";

    public static int FoldOf(string identityKey) => SHA256.HashData(Encoding.UTF8.GetBytes(identityKey))[0] & 1;
}
