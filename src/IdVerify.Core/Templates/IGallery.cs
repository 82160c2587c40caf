namespace IdVerify.Core.Templates;

/// <summary>1:N search over the enrolled subjects, one implementation per storage provider.</summary>
public interface IGallery
{
    Task<GallerySearch> SearchAsync(GalleryQuery query, CancellationToken cancellationToken = default);
}
