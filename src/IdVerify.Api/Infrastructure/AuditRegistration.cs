using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdVerify.Api.Infrastructure;

/// <summary>The audit trail's hooks into the host: the refusals authorization answers, and the filter audited route groups carry.</summary>
public static class AuditRegistration
{
    /// <summary>Core registers the log itself (<c>AddIdVerifyCore</c>); this records refused authorization on audited routes.</summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.TryAddSingleton<AuthorizationMiddlewareResultHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditingAuthorizationResultHandler>();
        return services;
    }

    /// <summary>Records every request to the group's routes that name an action with <see cref="Audited{TBuilder}"/>.</summary>
    public static RouteGroupBuilder WithAuditTrail(this RouteGroupBuilder group) => group.AddEndpointFilter<AuditEndpointFilter>();

    /// <summary>The audit action this route records (one of <see cref="Core.Audit.AuditActions"/>).</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditedAction(action));
}
