using IdVerify.Core.Audit;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>Records in sequence order; pass <paramref name="Next"/> as <c>after</c> for the following page (null on the last).</summary>
public sealed record AuditPageDto(IReadOnlyList<AuditRecordDto> Records, long? Next)
{
    public static AuditPageDto From(AuditPage page) => new(page.Records.Select(AuditRecordDto.From).ToList(), page.Next);
}
