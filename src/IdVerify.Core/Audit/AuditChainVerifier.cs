namespace IdVerify.Core.Audit;

/// <summary>
/// Walks a store's audit rows in sequence order and names the first broken one; both stores read their rows in one
/// snapshot and hand them here, so the chain is judged by one piece of code.
/// </summary>
internal static class AuditChainVerifier
{
    /// <param name="highWater">the highest sequence number the store ever handed out, so a deleted tail shows.</param>
    public static async Task<AuditChainReport> VerifyAsync(AuditChain chain, IAsyncEnumerable<AuditRow> rows, Func<long> highWater,
        CancellationToken cancellationToken)
    {
        var (records, unkeyed, lastSequence, lastHash, keyedSeen) = (0L, 0L, 0L, AuditChain.Genesis, false);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            records++;
            AuditBreak Broken(AuditBreakKind kind, string reason) => new(row.Sequence, kind, reason, row.ToRecord());

            AuditBreak? broken = null;
            string? expected = null;
            if (row.Sequence != lastSequence + 1)
            {
                broken = Broken(AuditBreakKind.Missing, lastSequence + 1 == row.Sequence - 1
                    ? $"record #{lastSequence + 1} is missing (deleted)"
                    : $"records #{lastSequence + 1} to #{row.Sequence - 1} are missing (deleted)");
            }
            else if (row.PrevHash != lastHash)
            {
                broken = Broken(AuditBreakKind.Relinked, lastSequence == 0
                    ? "the first record does not start the chain (records before it were deleted or it was moved)"
                    : $"its prev_hash is not record #{lastSequence}'s hash (a record was deleted, inserted or moved)");
            }
            else if (row.KeyId is null)
            {
                unkeyed++;
                broken = keyedSeen
                    ? Broken(AuditBreakKind.Downgraded, "it is chained with plain SHA-256 after records chained with a key (rewritten without the key)")
                    : null;
                expected = AuditChain.UnkeyedHash(row.PrevHash, row.Content());
            }
            else
            {
                keyedSeen = true;
                if (chain.KeyId is null)
                {
                    throw new IdVerifyException(ErrorCodes.InvalidRequest,
                        $"Audit record #{row.Sequence} is chained with HMAC key {row.KeyId}; give that key (Audit:HmacKey) to verify the log.");
                }

                broken = row.KeyId != chain.KeyId
                    ? Broken(AuditBreakKind.OtherKey, $"it is chained under key {row.KeyId}, not the given key {chain.KeyId}")
                    : null;
                expected = chain.Hash(row.PrevHash, row.Content());
            }

            if (broken is null && expected != row.Hash)
            {
                broken = Broken(AuditBreakKind.Edited, "its content does not give its hash (edited)");
            }

            if (broken is not null)
            {
                return new AuditChainReport(records, lastSequence, lastHash, unkeyed, chain.KeyId, broken);
            }

            (lastSequence, lastHash) = (row.Sequence, row.Hash);
        }

        var high = highWater();
        var truncated = high > lastSequence
            ? new AuditBreak(lastSequence + 1, AuditBreakKind.Truncated, $"records #{lastSequence + 1} to #{high} were deleted from the end of the log", null)
            : null;
        return new AuditChainReport(records, lastSequence, lastHash, unkeyed, chain.KeyId, truncated);
    }
}
