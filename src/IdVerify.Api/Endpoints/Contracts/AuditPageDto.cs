using IdVerify.Core.Audit;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>Records in sequence order; pass <paramref name="Next"/> as <c>after</c> for the following page (null on the last).</summary>
public sealed record AuditPageDto(IReadOnlyList<AuditRecordDto> Records, long? Next) : IHasOpenApiExample<AuditPageDto>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static AuditPageDto Example { get; } = new([new AuditRecordDto(
        1207, new DateTimeOffset(2026, 3, 2, 9, 16, 12, TimeSpan.Zero), "verify", "ok", "customer-0042", "branch-kiosk-07",
        "0HNA1B2C3D4E5:00000001",
        new Dictionary<string, string?> { ["decisionId"] = VerifyResponse.Example.DecisionId, ["verified"] = "true", ["score"] = "0.653" },
        "k1", "5d0c1f7a9e3b2c4d6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e",
        "a3f9b2c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0")], 1207);

    public static AuditPageDto From(AuditPage page) => new(page.Records.Select(AuditRecordDto.From).ToList(), page.Next);
}
