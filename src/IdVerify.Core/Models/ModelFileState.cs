namespace IdVerify.Core.Models;

public enum ModelFileState
{
    Missing,
    Verified,
    HashMismatch,
}
