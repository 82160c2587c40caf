namespace IdVerify.Core;

/// <summary>Stable error codes; clients branch on these, so they never change meaning.</summary>
public static class ErrorCodes
{
    public const string ImageMissing = "image_missing";
    public const string ImageUnreadable = "image_unreadable";
    public const string ImageTooLarge = "image_too_large";
    public const string UnsupportedFormat = "unsupported_format";
    public const string NoFace = "no_face";
    public const string MultipleFaces = "multiple_faces";
    public const string FaceTooSmall = "face_too_small";
    public const string LivenessFailed = "liveness_failed";
    public const string QualityTooLow = "quality_too_low";
    public const string SubjectNotFound = "subject_not_found";
    public const string InvalidSubjectId = "invalid_subject_id";
    public const string TooManyTemplates = "too_many_templates";
    public const string TooManyImages = "too_many_images";
    public const string ReenrollmentRequired = "reenrollment_required";
    public const string ModelRejected = "model_rejected";
    public const string ModelNotFound = "model_not_found";
    public const string InvalidRequest = "invalid_request";
    public const string FmrTargetUnsupported = "fmr_target_unsupported";
    public const string ModelIntegrity = "model_integrity";
    public const string ModelUnavailable = "model_unavailable";
    public const string NotReady = "not_ready";
    public const string Overloaded = "overloaded";
    public const string ApiKeyMissing = "api_key_missing";
    public const string ApiKeyInvalid = "api_key_invalid";
    public const string ScopeForbidden = "scope_forbidden";
    public const string RateLimited = "rate_limited";
    public const string RequestTimeout = "request_timeout";
    public const string KeyExists = "key_exists";
    public const string KeyNotFound = "key_not_found";
    public const string ChallengeNotFound = "challenge_not_found";
    public const string ChallengeUsed = "challenge_used";
    public const string ChallengeExpired = "challenge_expired";
    public const string ChallengeSubjectMismatch = "challenge_subject_mismatch";
    public const string AuditLogUnreadable = "audit_log_unreadable";

    /// <summary>A stored row was sealed with a data key this service does not hold: it fails closed.</summary>
    public const string DataKeyMissing = "data_key_missing";

    /// <summary>Too many consecutive failed verifies of one subject: retry after the back-off (NIST SP 800-63B 5.2.3).</summary>
    public const string SubjectLocked = "subject_locked";

    /// <summary>Templates may only be added to an enrolled subject for the same face (or with the subjects:reenroll scope).</summary>
    public const string FaceMismatch = "face_mismatch";

    /// <summary>No calibrated threshold is strict enough for Identify:FpirTarget against a gallery this large.</summary>
    public const string FpirTargetUnreachable = "fpir_target_unreachable";

    /// <summary>Enrollment:DuplicateCheck=refuse: the face matches another subject at the identify threshold.</summary>
    public const string DuplicateIdentity = "duplicate_identity";
}
