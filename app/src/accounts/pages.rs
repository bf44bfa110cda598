use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::UserSummary;
use super::api::{Login, Logout};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::ErrorMessage;

/// The login and logout actions and the logged-in user, shared by the header and pages.
/// Created inside the router, where a form error sent back without JavaScript is found.
#[derive(Clone, Copy)]
pub struct Auth {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub user: Resource<Result<Option<UserSummary>, AppError>>,
}

pub fn provide_auth() {
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(
        move || (login.version().get(), logout.version().get()),
        |_| async move { current_user_fn().await },
    );
    provide_context(Auth {
        login,
        logout,
        user,
    });
}

async fn current_user_fn() -> Result<Option<UserSummary>, AppError> {
    super::api::current_user().await
}

/// Header: the user's name and a logout button, or a link to log in.
#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => view! {
                        <div class="user-menu">
                            <span class="user-name">{user.name}</span>
                            <ActionForm action=auth.logout attr:class="inline-form">
                                <button type="submit" class="button-outline">{t!(i18n, login.logout)}</button>
                            </ActionForm>
                        </div>
                    }
                    .into_any(),
                    _ => view! {
                        <A href="/login" attr:class="button-outline">{t!(i18n, login.link)}</A>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/login?next=/path`
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    // Created in the route, where an error sent back to a form without JavaScript is found.
    let login = ServerAction::<Login>::new();
    let auth = expect_context::<Auth>();
    // With JavaScript the page is not reloaded after logging in: ask again who is logged in.
    Effect::new(move |_| {
        if matches!(login.value().get(), Some(Ok(()))) {
            auth.user.refetch();
        }
    });
    let query = use_query_map();
    let next = move || {
        query
            .with(|q| q.get("next"))
            .unwrap_or_else(|| "/".to_string())
    };
    let error = move || login.value().get().and_then(Result::err);
    let typed_email = move || match error() {
        Some(AppError::LoginRefused { email, .. }) => email,
        _ => String::new(),
    };
    view! {
        <Title text=move || t_string!(i18n, login.title) />
        <section class="narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <p class="lead">{t!(i18n, login.intro)}</p>
            <ActionForm action=login attr:class="stacked-form">
                {move || error().map(|error| view! { <ErrorMessage error /> })}
                <input type="hidden" name="next" value=next />
                <div class="field">
                    <label for="login-email">{t!(i18n, login.email)}</label>
                    <input id="login-email" type="email" name="email" autocomplete="username" required value=typed_email />
                </div>
                <div class="field">
                    <label for="login-password">{t!(i18n, login.password)}</label>
                    <input id="login-password" type="password" name="password" autocomplete="current-password" required />
                </div>
                <div class="field checkbox">
                    <input id="login-remember" type="checkbox" name="remember" value="on" />
                    <label for="login-remember">{t!(i18n, login.remember)}</label>
                </div>
                <button type="submit">{t!(i18n, login.submit)}</button>
            </ActionForm>
            <p class="muted">{t!(i18n, login.no_account)}</p>
        </section>
    }
}
