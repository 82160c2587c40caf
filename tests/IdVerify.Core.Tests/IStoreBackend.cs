using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using IdVerify.Core.Liveness;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Tests;

/// <summary>
/// One provider's stores over one fresh database, for <see cref="StoreContractTests{TBackend}"/>. Each call opens the
/// database anew (its own connection pool), as another instance of the service would.
/// </summary>
public interface IStoreBackend : IDisposable
{
    ITemplateStore Templates(DataKeyRing keys);

    IChallengeStore Challenges();

    ISubjectAttemptStore Attempts();

    IDecisionLog Decisions();

    IApiKeyStore ApiKeys();

    /// <summary>An audit log that is also its own <see cref="IAuditTrail"/>.</summary>
    IAuditLog AuditLog();
}
