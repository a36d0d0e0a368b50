app_name = "stars"

urlpatterns = []
