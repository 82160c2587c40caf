namespace IdVerify.Core.Audit;

public static class AuditActions
{
    public const string Enroll = "enroll";
    public const string Reenroll = "reenroll";
    public const string Verify = "verify";
    public const string Identify = "identify";
    public const string ChallengeCreate = "challenge.create";
    public const string SubjectRead = "subject.read";
    public const string SubjectDelete = "subject.delete";
    public const string SubjectLock = "subject.lock";
    public const string SubjectUnlock = "subject.unlock";
    public const string KeyCreate = "key.create";
    public const string KeyRevoke = "key.revoke";
    public const string DataKeyRotate = "data-key.rotate";
    public const string ModelSwap = "model.swap";
    public const string ModelRegister = "model.register";

    /// <summary>The service started serving: which models, on which execution provider (a SIEM sees every restart).</summary>
    public const string ServiceStart = "service.start";
}
