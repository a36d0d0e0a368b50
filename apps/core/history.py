"""History pages (django-simple-history) that mask personal data for staff without
`members.view_full_document`: the same rule as the change page, applied to every old value."""

from simple_history.template_utils import HistoricalRecordContextHelper

from .masking import mask_birth_date, mask_document_number, mask_phone, sees_full_document

# Field name -> how its old and new values are shown to staff who may not see them whole.
MASKED_FIELDS = {
    "document_number": mask_document_number,
    "new_document_number": mask_document_number,
    "worker_id_number": mask_document_number,
    "phone": mask_phone,
    "birth_date": mask_birth_date,
}


class MaskingHistoryHelper(HistoricalRecordContextHelper):
    """History deltas with the fields of `masks` shown masked."""

    def __init__(self, model, historical_record, *, masks, **kwargs):
        super().__init__(model, historical_record, **kwargs)
        self.masks = masks

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        mask = self.masks.get(change.field)
        return mask(value) if mask is not None and value else value


class MaskedHistoryMixin:
    """For a SimpleHistoryAdmin: masks `history_masked_fields` (default: every field of
    MASKED_FIELDS) in the history page's list of changes."""

    history_masked_fields = MASKED_FIELDS

    def get_historical_record_context_helper(self, request, historical_record):
        if sees_full_document(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return MaskingHistoryHelper(self.model, historical_record, masks=self.history_masked_fields)
